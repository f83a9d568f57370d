// Time from `fleetplane start` (and `demo`) to the banner and to an answering /healthz, and the
// resident memory once idle, on a fresh and then on an existing data directory. Runs the built
// CLI (bin/fleetplane.js over dist/: `npm run build` first), as a user runs it.
//
//   npm run bench:startup                    start and demo
//   npm run bench:startup -- start           only start
//   FLEETPLANE_BENCH_IDLE_S=20 npm run bench:startup
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/fleetplane.js', import.meta.url));
const idleSeconds = Number(process.env['FLEETPLANE_BENCH_IDLE_S'] ?? 10);

interface Run {
  readonly banner: number;
  /** The first HTTP answer from /healthz (503 "starting" while the stores open). */
  readonly answered: number;
  /** The first 200 from /healthz: the platform serves. */
  readonly healthz: number;
  readonly rssMb: number;
  readonly firstOutput: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resident memory of the process and its children (the demo's payment service, if one). */
function rssMb(pid: number): number {
  const kb = (p: number) => {
    try {
      return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      return 0;
    }
  };
  let total = kb(pid);
  try {
    for (const child of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(/\s+/)) {
      if (child) total += kb(Number(child));
    }
  } catch {
    // no children file: the process alone
  }
  return Math.round(total / 1024);
}

async function once(command: 'start' | 'demo', dir: string): Promise<Run> {
  const api = await freePort();
  const args =
    command === 'start'
      ? ['start', '--data', dir, '--api-http', '--api-port', String(api)]
      : ['demo', '--data', dir, '--api-port', String(api)];
  args.push('--mqtt-port', '0', '--device-port', '0');
  const t0 = performance.now();
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let firstOutput = NaN;
  let banner = NaN;
  const seen = () => {
    if (Number.isNaN(firstOutput)) firstOutput = performance.now() - t0;
  };
  child.stdout.on('data', (d: Buffer) => {
    seen();
    out += d.toString();
    if (Number.isNaN(banner) && /running on/.test(out)) banner = performance.now() - t0;
  });
  child.stderr.on('data', seen);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let healthz = NaN;
  let answered = NaN;
  const deadline = Date.now() + 300_000;
  while (Number.isNaN(healthz) && Date.now() < deadline && child.exitCode === null) {
    try {
      const res = await fetch(`http://127.0.0.1:${api}/healthz`);
      await res.arrayBuffer();
      if (Number.isNaN(answered)) answered = performance.now() - t0;
      if (res.ok) healthz = performance.now() - t0;
      else await new Promise((r) => setTimeout(r, 50));
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  await new Promise((r) => setTimeout(r, idleSeconds * 1000));
  const rss = rssMb(child.pid!);
  child.kill('SIGINT');
  await exited;
  return { banner, answered, healthz, rssMb: rss, firstOutput };
}

const s = (ms: number) => (Number.isNaN(ms) ? '   —  ' : `${(ms / 1000).toFixed(1).padStart(5)} s`);
const which = process.argv.slice(2).filter((a) => a === 'start' || a === 'demo') as (
  'start' | 'demo'
)[];

/** The floor: Node loading the CLI's modules and exiting (`fleetplane --version`). */
async function cliFloor(): Promise<number> {
  const t0 = performance.now();
  await new Promise((resolve) => spawn(process.execPath, [bin, '--version']).once('exit', resolve));
  return performance.now() - t0;
}

/** The peer: Debian's Mosquitto from exec to accepting a TCP connection on its port. */
async function mosquittoStart(): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn('mosquitto', ['-p', String(port)], { stdio: 'ignore' });
  const failed = new Promise<number>((resolve) => child.once('error', () => resolve(NaN)));
  const accepted = (async () => {
    while (child.exitCode === null) {
      const ok = await new Promise<boolean>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => (socket.end(), resolve(true)));
        socket.once('error', () => resolve(false));
      });
      if (ok) return performance.now() - t0;
      await new Promise((r) => setTimeout(r, 5));
    }
    return NaN;
  })();
  const ms = await Promise.race([accepted, failed]);
  child.kill();
  return ms;
}

console.log(
  `fleetplane ${process.platform} node ${process.version}; RSS after ${idleSeconds} s idle`,
);
const floor = await cliFloor();
const mosquitto = await mosquittoStart();
console.log(
  `floor: fleetplane --version (node + the CLI's modules) ${s(floor)}; peer: mosquitto to a listening port ${s(mosquitto)}`,
);
console.log('command  data dir   first output  /healthz 503  banner   /healthz 200   RSS');
const results: Record<string, Run> = {};
for (const command of which.length > 0 ? which : (['start', 'demo'] as const)) {
  const dir = mkdtempSync(join(tmpdir(), `fleetplane-bench-${command}-`));
  try {
    for (const state of ['fresh', 'existing']) {
      const r = await once(command, dir);
      results[`${command}_${state}`] = r;
      console.log(
        `${command.padEnd(8)} ${state.padEnd(10)} ${s(r.firstOutput)}       ${s(r.answered)}  ${s(r.banner)}   ${s(r.healthz)}  ${String(r.rssMb).padStart(5)} MB`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const round = (ms: number) => (Number.isNaN(ms) ? null : Math.round(ms));
console.log(
  JSON.stringify({
    bench: 'startup',
    cli_floor_ms: round(floor),
    mosquitto_listen_ms: round(mosquitto),
    ...Object.fromEntries(
      Object.entries(results).map(([k, r]) => [
        k,
        {
          healthz_answer_ms: round(r.answered),
          healthz_ready_ms: round(r.healthz),
          banner_ms: round(r.banner),
          rss_mb: r.rssMb,
        },
      ]),
    ),
  }),
);
