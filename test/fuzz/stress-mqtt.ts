// `npm run stress:mqtt [-- --packets N]`: the platform as `fleetplane start` runs it, in its own
// process, sent a malformed MQTT stream (decision 052). Exits 1 on a crash, an unanswered packet
// or resident memory after the stream more than 10 % above before it. Prints progress, then one
// JSON line of figures. The engine test next to it runs the same with a few thousand packets.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  deviceTlsCredentials,
  provisionDevice,
  runCli,
  STORE,
} from '../../test-support/platform.js';
import {
  rssMb,
  runMalformedStream,
  type StreamDevice,
  type StreamFigures,
} from './malformed-stream.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface StressOptions {
  readonly packets: number;
  /** Devices sending refused probes, one connection each. */
  readonly devices: number;
  /** Devices carrying the fatal probes, one connection at a time each. */
  readonly fatalDevices: number;
  /** Fatal probes after CONNECT: each device connects at most 20 times a minute (decision 048). */
  readonly afterConnectProbes: number;
  readonly beforeConnectProbes: number;
  readonly settleMs: number;
  readonly log: (line: string) => void;
}

export interface StressReport extends Omit<StreamFigures, 'rssSamplesMb'> {
  /** Packets of the warm-up before "before" (the same mix, a fifth), and those unanswered. */
  warmupPackets: number;
  warmupUnanswered: number;
  crashed: boolean;
  rssBeforeMb: number;
  rssPeakMb: number;
  rssAfterMb: number;
  rssGrowthPct: number;
  durationMs: number;
  passed: boolean;
}

export async function stressMqtt(options: StressOptions): Promise<StressReport> {
  const started = Date.now();
  const dir = await mkdtemp(join(tmpdir(), 'fleet-stress-'));
  const data = join(dir, 'data');
  try {
    options.log(
      `preparing ${data}: a CA, a store, ${options.devices + options.fatalDevices} devices`,
    );
    await runCli('ca', 'init', '--data', data);
    await runCli(
      'store',
      'add',
      '--data',
      data,
      '--id',
      STORE,
      '--name',
      'Stress',
      '--region',
      'eu',
    );
    const all: StreamDevice[] = [];
    for (let i = 1; i <= options.devices + options.fatalDevices; i++) {
      const deviceId = `CART-S${String(i).padStart(4, '0')}`;
      all.push({
        deviceId,
        ...(await deviceTlsCredentials(await provisionDevice(data, deviceId))),
      });
    }
    const child = spawn(
      process.execPath,
      [
        '--max-semi-space-size=64',
        '--expose-gc',
        '--import',
        pathToFileURL(join(root, 'test/fuzz/gc-on-signal.mjs')).href,
        join(root, 'bin/fleetplane.js'),
        'start',
        ...['--data', data, '--mqtt-host', '127.0.0.1', '--mqtt-port', '0'],
        ...['--api-port', '0', '--device-port', '0', '--message-rate', '0'],
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let tail = '';
    // The banner is all that is wanted from stdout: the first few kB.
    child.stdout.on('data', (d: Buffer) => {
      if (out.length < 16_384) out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-4_000)));
    let crashed = false;
    const exited = new Promise<void>((resolve) =>
      child.once('exit', (code, signal) => {
        crashed = !stopping;
        if (crashed) options.log(`the platform exited (${code ?? signal}):\n${tail}`);
        resolve();
      }),
    );
    let stopping = false;
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no MQTT line in 120 s:\n${out}\n${tail}`)),
          120_000,
        );
        const check = () => {
          const match = /MQTT\s+(mqtts:\/\/\S+)/.exec(out);
          if (!match) return;
          clearTimeout(timer);
          resolve(match[1]!);
        };
        child.stdout.on('data', check);
        void exited.then(() => reject(new Error(`the platform exited before listening:\n${tail}`)));
      });
      const pid = child.pid!;
      // A warm-up first, the same mix at a fifth of the size, so that what grows once (JIT code,
      // TLS and database caches, the WASM heap of the entity store) is in "before", and "after"
      // shows a trend rather than the platform's first contact with each class.
      const warmupPackets = Math.round(options.packets / 5);
      options.log(`platform ${pid} at ${url}; warming up with ${warmupPackets} packets`);
      const warmup = await runMalformedStream({
        url,
        devices: all.slice(0, options.devices),
        fatalDevices: all.slice(options.devices),
        total: warmupPackets,
        afterConnectProbes: Math.round(options.afterConnectProbes / 5),
        beforeConnectProbes: Math.round(options.beforeConnectProbes / 5),
        pid,
        log: options.log,
      });
      await sleep(options.settleMs);
      const rssBeforeMb = await settledRssMb(pid);
      options.log(`RSS ${rssBeforeMb} MB; sending ${options.packets} packets`);
      const figures = await runMalformedStream({
        url,
        devices: all.slice(0, options.devices),
        fatalDevices: all.slice(options.devices),
        total: options.packets,
        afterConnectProbes: options.afterConnectProbes,
        beforeConnectProbes: options.beforeConnectProbes,
        pid,
        log: options.log,
      });
      options.log(`stream done; letting the platform settle ${options.settleMs} ms`);
      await sleep(options.settleMs);
      const alive = child.exitCode === null && child.signalCode === null;
      const rssAfterMb = alive ? await settledRssMb(pid) : Number.NaN;
      const { rssSamplesMb, ...rest } = figures;
      const rssGrowthPct = Math.round(((rssAfterMb - rssBeforeMb) / rssBeforeMb) * 1000) / 10;
      const report: StressReport = {
        ...rest,
        warmupPackets: warmup.packets,
        warmupUnanswered: warmup.unanswered,
        crashed: crashed || !alive,
        rssBeforeMb,
        rssPeakMb: Math.max(rssBeforeMb, ...rssSamplesMb),
        rssAfterMb,
        rssGrowthPct,
        durationMs: Date.now() - started,
        passed: false,
      };
      report.passed =
        !report.crashed &&
        report.unanswered === 0 &&
        report.warmupUnanswered === 0 &&
        report.refusedSessionsClosed === 0 &&
        rssGrowthPct <= 10;
      return report;
    } finally {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Resident memory after a full GC in the platform (gc-on-signal.mjs) and a second to return pages. */
async function settledRssMb(pid: number): Promise<number> {
  process.kill(pid, 'SIGUSR2');
  await sleep(2_000);
  return rssMb(pid);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: { packets: { type: 'string' }, devices: { type: 'string' } },
  });
  const packets = Number(values.packets ?? 100_000);
  const devices = Number(values.devices ?? 10);
  if (!Number.isInteger(packets) || packets < 1000 || !Number.isInteger(devices) || devices < 1) {
    console.error('usage: npm run stress:mqtt [-- --packets N (>= 1000)] [--devices N]');
    process.exit(2);
  }
  const report = await stressMqtt({
    packets,
    devices,
    fatalDevices: devices * 2,
    // 15 of the 20 connects a minute each device may make, and 3 in the warm-up.
    afterConnectProbes: devices * 2 * 15,
    beforeConnectProbes: Math.round(packets / 40),
    settleMs: 10_000,
    log: (line) => console.error(`[stress:mqtt ${new Date().toISOString().slice(11, 19)}] ${line}`),
  });
  console.log(JSON.stringify(report));
  process.exit(report.passed ? 0 : 1);
}
