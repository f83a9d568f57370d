// A PostgreSQL server of the scenario's own, in its work directory on a free port, that it may
// stop and start at will: never the machine's shared server. initdb refuses to run as root, so
// the cluster belongs to the postgres user and every pg_ctl call runs as that user.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../../test-support/mosquitto.js';

const run = promisify(execFile);
const PG_ROOT = '/usr/lib/postgresql';

/** The newest installed server's bin directory, or undefined. */
export function postgresBin(): string | undefined {
  if (!existsSync(PG_ROOT)) return undefined;
  const versions = readdirSync(PG_ROOT)
    .filter((v) => existsSync(join(PG_ROOT, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(PG_ROOT, versions[0], 'bin');
}

/** Why this machine cannot run a private cluster, or undefined when it can. */
export async function ownPostgresUnavailable(): Promise<string | undefined> {
  if (postgresBin() === undefined) return `no PostgreSQL server binaries under ${PG_ROOT}`;
  if (process.getuid?.() !== 0) return 'needs root to run initdb and pg_ctl as the postgres user';
  try {
    await run('id', ['-u', 'postgres']);
  } catch {
    return 'no postgres user to own the cluster';
  }
  return undefined;
}

export interface OwnPostgres {
  readonly url: string;
  readonly port: number;
  /** `pg_ctl stop -m fast`: clients are disconnected, the server shuts down cleanly. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good (ignoring a server already down). */
  close(): Promise<void>;
}

async function asPostgres(command: string, args: readonly string[]): Promise<string> {
  const { stdout, stderr } = await run('runuser', ['-u', 'postgres', '--', command, ...args], {
    timeout: 60_000,
  });
  return stdout + stderr;
}

export async function startOwnPostgres(workDir: string): Promise<OwnPostgres> {
  const bin = postgresBin()!;
  const dir = join(workDir, 'postgres');
  const pgData = join(dir, 'data');
  // The work directory is root's; the postgres user only needs to pass through it.
  await chmod(workDir, 0o711);
  await mkdir(dir, { recursive: true });
  const { stdout } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  await asPostgres(join(bin, 'initdb'), [
    '-D',
    pgData,
    '--auth=trust',
    '-U',
    'postgres',
    '-E',
    'UTF8',
  ]);
  const port = await freePort();
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=on`;
  const ctl = (...args: string[]) =>
    asPostgres(join(bin, 'pg_ctl'), ['-D', pgData, '-l', join(dir, 'server.log'), ...args]);
  const start = async () => {
    await ctl('start', '-w', '-t', '30', '-o', options);
  };
  await start();
  let up = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      await ctl('stop', '-m', 'fast', '-w', '-t', '30');
      up = false;
    },
    async start() {
      await start();
      up = true;
    },
    async close() {
      if (up) await ctl('stop', '-m', 'immediate', '-w').catch(() => undefined);
      up = false;
    },
  };
}
