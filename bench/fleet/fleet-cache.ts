// The device fleet bench:fleet connects: a fleet CA with stores, and device certificates minted
// the way a factory mints them (the platform has never seen them: it admits them just in time).
// Minting costs about 10 ms a certificate, so the fleet is kept in ~/.cache/fleetplane-bench and
// grown when a run asks for more devices than it holds. Each run copies the CA into a fresh data
// directory, so every run's first storm is a first-time storm.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, homedir } from 'node:os';
import { join } from 'node:path';
import { identityCommands } from '../../src/cli/identity/index.js';
import { main } from '../../src/cli/main.js';

export const STORES = 20;
export const storeId = (i: number) => `bench-${String(i % STORES).padStart(2, '0')}`;
export const deviceId = (i: number) => `FLEET-${String(i).padStart(6, '0')}`;

/** One minted device: its id, its TLS key and its certificate (PEM). */
export interface MintedDevice {
  readonly id: string;
  readonly key: string;
  readonly cert: string;
}

export interface Fleet {
  /** A data directory holding the CA and stores, with no device registered. */
  readonly template: string;
  /** One JSON line per device (MintedDevice), in device order. */
  readonly devicesFile: string;
}

const quiet = { out: () => undefined, err: (l: string) => process.stderr.write(`${l}\n`) };

export async function ensureFleet(devices: number, step: (text: string) => void): Promise<Fleet> {
  const root = join(
    process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'),
    'fleetplane-bench',
    'fleet-v1',
  );
  const template = join(root, 'template');
  const devicesFile = join(root, 'devices.jsonl');
  if (!existsSync(join(template, 'ready'))) {
    await rm(root, { recursive: true, force: true });
    await mkdir(template, { recursive: true });
    const run = async (...argv: string[]) => {
      if ((await main(argv, quiet, identityCommands())) !== 0)
        throw new Error(`failed: ${argv.join(' ')}`);
    };
    await run('ca', 'init', '--data', template);
    for (let s = 0; s < STORES; s++) {
      await run('store', 'add', '--data', template, '--id', storeId(s), '--name', `Bench ${s}`);
    }
    await writeFile(devicesFile, '');
    await writeFile(join(template, 'ready'), '');
  }
  const have = await countLines(devicesFile);
  if (have < devices) {
    step(`minting ${devices - have} device certificates (cached in ${root})`);
    const workers = availableParallelism();
    const per = Math.ceil((devices - have) / workers);
    const parts = await Promise.all(
      Array.from({ length: workers }, (_, w) => {
        const from = have + w * per;
        const to = Math.min(devices, from + per);
        const out = join(root, `part-${w}.jsonl`);
        return mintPart(
          template,
          from,
          to,
          out,
          (n) => w === 0 && step(`  ${n * workers}/${devices - have}`),
        ).then(() => out);
      }),
    );
    for (const part of parts) {
      await appendFile(devicesFile, await readFile(part));
      await rm(part);
    }
  }
  return { template, devicesFile };
}

/** A fresh data directory with the fleet's CA and stores and an empty device registry. */
export async function freshDataDir(fleet: Fleet, dir: string): Promise<void> {
  await cp(fleet.template, dir, { recursive: true });
}

export async function readFleet(file: string, from: number, to: number): Promise<MintedDevice[]> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  return lines.slice(from, to).map((l) => JSON.parse(l) as MintedDevice);
}

async function countLines(file: string): Promise<number> {
  const text = await readFile(file, 'utf8');
  return text.length === 0 ? 0 : text.split('\n').filter((l) => l.length > 0).length;
}

function mintPart(
  template: string,
  from: number,
  to: number,
  out: string,
  progress: (n: number) => void,
): Promise<void> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      new URL('./mint-worker.ts', import.meta.url).pathname,
      template,
      String(from),
      String(to),
      out,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  child.stdout.on('data', (d: Buffer) => {
    const last = d.toString().trim().split('\n').pop();
    if (last) progress(Number(last));
  });
  return new Promise((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`minting failed (${code})`)),
    ),
  );
}
