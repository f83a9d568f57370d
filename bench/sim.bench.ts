// npm run bench:sim — how many carts one simulator process sustains at the PRD's message rates
// (a scan every 20–40 s while shopping, health every 60 s in a session and 5 min idle), with
// scan-acknowledgement latency online and offline and the process's CPU, against the embedded
// platform in a child process; and the physical limit measured in the same run: ECDSA P-256
// signatures per second on one core with node:crypto, since every cart message is signed.
// Options: --steps 100,300,1000 (carts per step) --seconds N (40, real per step) --speed X (5).
// The carts are the cart model (src/cli/sim/cart-factory.ts) with their trips and a seeded shelf.
import { generateKeyPairSync, sign } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { identityCommands } from '../src/cli/identity/index.js';
import { main } from '../src/cli/main.js';
import { simCarts } from '../src/cli/sim/cart-factory.js';
import { provisionFleet } from '../src/cli/sim/provision-fleet.js';
import { storeShelf } from '../src/cli/sim/sim-catalog.js';
import { runFleet, type FleetResult } from '../src/device/sim/fleet.js';
import { fmt, opsPerSecond } from './measure.js';
import { platformNodeFlags } from './node-flags.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '100,300,1000' },
    seconds: { type: 'string', default: '40' },
    // Scans come every 20–40 simulated seconds: at 1× a step would need minutes to see any.
    // At 5× each cart sends five carts' worth of messages over one connection.
    speed: { type: 'string', default: '5' },
  },
});
const steps = values.steps.split(',').map(Number);
const seconds = Number(values.seconds);
const speed = Number(values.speed);
const step = (text: string) => process.stderr.write(`… ${text}\n`);
const quiet = { out: () => undefined, err: (l: string) => process.stderr.write(`${l}\n`) };
const P99_LIMIT_MS = 200;

step('ECDSA P-256 signing ceiling, one core (node:crypto)');
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const body = Buffer.from(
  JSON.stringify({ type: 'scan', barcode: '4006381333931', pad: 'x'.repeat(300) }),
);
const signsPerSecond = opsPerSecond(() =>
  sign('sha256', body, { key: privateKey, dsaEncoding: 'ieee-p1363' }),
);

const data = await mkdtemp(join(tmpdir(), 'fleetplane-sim-bench-'));
const run = async (...argv: string[]) => {
  if ((await main(argv, quiet, identityCommands())) !== 0)
    throw new Error(`failed: ${argv.join(' ')}`);
};
await run('ca', 'init', '--data', data);
await run('store', 'add', '--data', data, '--id', 'bench-1', '--name', 'Bench');
const most = Math.max(...steps);
step(`provisioning ${most} carts`);
const t0 = performance.now();
const { identities } = await provisionFleet(data, 'bench-1', most, {
  now: () => new Date(),
  onProgress: (n) => n % 500 === 0 && step(`  ${n}/${most}`),
});
const provisionMsPerCart = (performance.now() - t0) / most;

step('starting the platform in a child process');
const child = spawn(process.execPath, [...platformNodeFlags, 'bench/platform-process.mjs', data], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const urls = await new Promise<{ mqttUrl: string; apiUrl: string }>((resolve, reject) => {
  createInterface({ input: child.stdout }).once('line', (l) => resolve(JSON.parse(l)));
  child.once('exit', (code) => reject(new Error(`platform exited ${code}`)));
});

const shelf = storeShelf('bench-1');
const rows: Record<string, unknown>[] = [];
for (const carts of steps) {
  step(`${carts} carts for ${seconds} s real at ${speed}× (links down on 30 % for a third of it)`);
  const { createCart, scenarios } = simCarts({ mqttUrl: urls.mqttUrl, seed: carts, shelf });
  const samples: { realMs: number; buffered: number }[] = [];
  const simMs = seconds * 1000 * speed;
  let cpu = process.cpuUsage();
  let elu = performance.eventLoopUtilization();
  let measured = { cpu: 0, elu: 0, windowS: 1 };
  let firstSampleAt = 0;
  const result: FleetResult = await runFleet({
    identities: identities.slice(0, carts),
    site: {
      storeId: 'bench-1',
      currency: 'EUR',
      geofence: { lat: 52.52, lon: 13.405, radiusM: 150 },
    },
    createCart,
    scenario: scenarios.golden,
    durationMs: simMs,
    speed,
    seed: carts,
    // Customers waiting at every cart: nearly all carts shop, at the PRD's highest rates.
    meanIdleMs: 5_000,
    closingGraceMs: 0,
    faults: [{ kind: 'links-down', atMs: simMs / 3, forMs: simMs / 3, fraction: 0.3 }],
    progressEveryMs: 1000,
    onProgress: (p) => {
      if (samples.length === 0) {
        // Measure from the first progress report: boot and TLS handshakes are behind us.
        cpu = process.cpuUsage();
        elu = performance.eventLoopUtilization();
        firstSampleAt = performance.now();
      }
      samples.push({ realMs: p.realMs, buffered: p.buffered });
      if (p.simulatedMs < simMs) {
        const c = process.cpuUsage(cpu);
        measured = {
          cpu: (c.user + c.system) / 1e6,
          elu: performance.eventLoopUtilization(elu).utilization,
          windowS: Math.max(1e-3, (performance.now() - firstSampleAt) / 1000),
        };
      }
    },
  });
  const online = samples.filter((s) => s.realMs / 1000 > (2 * seconds) / 3 + 2);
  const backlogAtEnd = online.at(-1)?.buffered ?? 0;
  const p99 = result.scanAckOnline.p99 ?? Infinity;
  const sustained =
    p99 < P99_LIMIT_MS && backlogAtEnd <= carts * 0.05 && result.unflushed.length === 0;
  const rate = result.messagesCreated / (result.realMs / 1000);
  rows.push({
    carts,
    sustained,
    /** Message load in carts at 1×: connections are `carts`, messages `carts × speed`. */
    cartEquivalentsAt1x: carts * speed,
    messagesPerSecond: Math.round(rate),
    scans: result.scans,
    scanAckP50Ms: result.scanAckOnline.p50,
    scanAckP99Ms: result.scanAckOnline.p99,
    scanAckOfflineP50Ms: result.scanAckOffline.p50,
    scanAckOfflineP99Ms: result.scanAckOffline.p99,
    replays: result.replays,
    backlogAtEnd,
    maxBuffered: result.maxBuffered,
    cpuPctOfOneCore: Math.round((measured.cpu / measured.windowS) * 100),
    eventLoopBusyPct: Math.round(measured.elu * 100),
    signingShareOfCeiling: Math.round((rate / signsPerSecond) * 1000) / 10,
    rssMb: Math.round(process.memoryUsage().rss / 1e6),
  });
  step(`  ${JSON.stringify(rows.at(-1))}`);
  if (!sustained) break;
}

child.stdin.end();
await new Promise((r) => child.once('exit', r));
await rm(data, { recursive: true, force: true });

const best = rows.filter((r) => r['sustained']).at(-1);
const table: [string, string][] = [
  ['ECDSA P-256 signatures/s, one core (same run)', fmt(signsPerSecond)],
  ['provisioning per cart (fleet CA, batched)', `${provisionMsPerCart.toFixed(1)} ms`],
  ...rows.map((r): [string, string] => [
    `${r['carts']} carts ${r['sustained'] ? 'sustained' : 'NOT sustained'}`,
    `${r['messagesPerSecond']} msg/s (${r['signingShareOfCeiling']} % of signing ceiling), ack p50/p99 ${r['scanAckP50Ms']}/${r['scanAckP99Ms']} ms online, ${r['scanAckOfflineP50Ms']}/${r['scanAckOfflineP99Ms']} ms offline, CPU ${r['cpuPctOfOneCore']} % of a core, loop ${r['eventLoopBusyPct']} % busy, backlog ${r['backlogAtEnd']}, RSS ${r['rssMb']} MB`,
  ]),
];
const width = Math.max(...table.map(([k]) => k.length));
for (const [k, v] of table) console.log(`${k.padEnd(width)}  ${v}`);
console.log(
  JSON.stringify({
    bench: 'sim',
    speed,
    seconds,
    signaturesPerSecondOneCore: Math.round(signsPerSecond),
    provisionMsPerCart: Math.round(provisionMsPerCart * 10) / 10,
    sustainedCarts: best?.['carts'] ?? 0,
    steps: rows,
  }),
);
