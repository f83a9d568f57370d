// npm run bench:soak — the platform at the PRD's peak for a long run (issue 20, decision 053):
// 10,000 carts' traffic (513 signed messages a second: scans, health, session start and end),
// paced open loop over mutual-TLS connections from a separate lean process, against the platform
// in its own process as `fleetplane start` runs it. Every 10 s: the platform's resident memory,
// V8 heap, event-loop delay p50/p99, open descriptors and CPU, and the window's publish→PUBACK
// p50/p99 (the PUBACK follows the durable write). At the end: least-squares slopes and the three
// verdicts (trend.ts), a JSON report with every sample and an SVG chart; beside it the ECDSA
// verification ceiling measured in the same run (the physical limit) and the same paced load
// into Debian's Mosquitto with the generated mutual-TLS configuration for a shorter window.
// Options: --minutes N (30; 2 or 3 for a check) --connections N (10000) --carts N (10000)
// --peer-minutes N (min(5, a third of the run); 0: no Mosquitto) --edges N (0) --out DIR.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { apiFetch } from '../src/cli/platform/api-fetch.js';
import { startBenchMosquitto } from './fleet/bench-mosquitto.js';
import { ensureFleet, freshDataDir } from './fleet/fleet-cache.js';
import { fmt } from './measure.js';
import { platformNodeFlags } from './node-flags.js';
import { merge, percentileMs } from './soak/latency-histogram.js';
import { peakMix } from './soak/peak-traffic.js';
import { soakChart } from './soak/soak-chart.js';
import { runSoak, type SoakResult } from './soak/soak-run.js';
import {
  deliveryCheck,
  descriptorCheck,
  latencyCheck,
  memoryCheck,
  slopePerHour,
  warmupSeconds,
  type Check,
  type Point,
} from './soak/trend.js';
import { measureVerifyCeiling } from './verify-ceiling.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    connections: { type: 'string', default: '10000' },
    carts: { type: 'string', default: '10000' },
    'peer-minutes': { type: 'string' },
    edges: { type: 'string', default: '0' },
    out: { type: 'string', default: join(tmpdir(), 'fleetplane-soak') },
  },
});
function positive(name: string, text: string | undefined, integer: boolean, zero = false): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || (!zero && n === 0) || (integer && !Number.isInteger(n))) {
    process.stderr.write(
      `bench:soak: --${name} must be a ${integer ? 'whole ' : ''}number${zero ? '' : ' above 0'}, not ${text}\n`,
    );
    process.exit(2);
  }
  return n;
}
const minutes = positive('minutes', values.minutes, false);
const carts = positive('carts', values.carts, true);
const connections = positive('connections', values.connections, true);
if (connections > carts) {
  process.stderr.write('bench:soak: --connections cannot exceed --carts\n');
  process.exit(2);
}
const peerMinutes = positive(
  'peer-minutes',
  values['peer-minutes'] ?? String(Math.min(5, minutes / 3)),
  false,
  true,
);
const edges = positive('edges', values.edges, true, true);
const runSeconds = minutes * 60;
const step = (text: string) => process.stderr.write(`… ${text}\n`);
const cores = availableParallelism();

step('ECDSA P-256 verification ceiling, all cores');
const ceiling = await measureVerifyCeiling(3000, cores);
const fleet = await ensureFleet(connections, step);
const load = {
  devicesFile: fleet.devicesFile,
  connections,
  carts,
  seconds: runSeconds,
  windowSeconds: 10,
};

// The platform, from dist/ with the installed command's flags, in its own process.
const platformData = await mkdtemp(join(tmpdir(), 'fleetplane-soak-'));
await freshDataDir(fleet, platformData);
step(`starting the platform (embedded broker, PGlite, SQLite, ${edges} edge processes)`);
const platform = spawn(
  process.execPath,
  [...platformNodeFlags, 'bench/platform-process.mjs', platformData, String(edges)],
  { stdio: ['pipe', 'pipe', 'inherit'] },
);
const firstLine = await createInterface({ input: platform.stdout })[Symbol.asyncIterator]().next();
const started = JSON.parse(firstLine.value as string) as {
  mqttUrl: string;
  apiUrl: string;
  apiCaPem?: string;
};
const fetchApi = apiFetch(started.apiCaPem);
const mqtt = new URL(started.mqttUrl);
step(`platform: ${fmt(carts)} carts' peak over ${fmt(connections)} connections for ${minutes} min`);
let soak: SoakResult;
try {
  soak = await runSoak(
    {
      name: 'platform',
      pid: platform.pid!,
      host: mqtt.hostname,
      port: Number(mqtt.port),
      metrics: async () => {
        const response = await fetchApi(`${started.apiUrl}/metrics`);
        if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
        return response.text();
      },
    },
    load,
    step,
  );
} finally {
  // Stopped on failure too: a platform left running would hold its port and a core.
  platform.stdin.end();
  await new Promise((r) => platform.once('exit', r));
  await rm(platformData, { recursive: true, force: true });
}

// The peer: the same paced load into Debian's Mosquitto, which PUBACKs on receipt (nothing
// durable, no signature checked), for a shorter window.
let peer: SoakResult | undefined;
if (peerMinutes > 0) {
  const mosquitto = await startBenchMosquitto(fleet, step);
  try {
    peer = await runSoak(
      { name: 'mosquitto', pid: mosquitto.process.pid!, host: '127.0.0.1', port: mosquitto.port },
      { ...load, seconds: peerMinutes * 60 },
      step,
    );
  } finally {
    await mosquitto.stop();
  }
}

// Verdicts over the load's own windows; the one after the stop (the stragglers' PUBACKs) counts
// for latency only: memory and descriptors with no load would flatter the trend.
const windows = soak.windows.filter((w) => w.t <= runSeconds + 1);
const all = merge(soak.windows.map((w) => w.histogram));
const series = (pick: (w: (typeof windows)[number]) => number | undefined): Point[] =>
  windows.flatMap((w) => {
    const value = pick(w);
    return value === undefined ? [] : [{ t: w.t, value }];
  });
const rss = series((w) => w.sample.rssMb);
const fds = series((w) => w.sample.fds);
const warmup = warmupSeconds(runSeconds);
const third = (from: number, to: number) =>
  merge(windows.filter((w) => w.t > from && w.t <= to).map((w) => w.histogram));
// Thirds of the run after its warm-up: the first seconds' JIT and cache filling are not drift's
// baseline (a slow start would make any later p99 look good).
const measured = runSeconds - warmup;
const firstThird = third(warmup, warmup + measured / 3);
const lastThird = merge(
  soak.windows.filter((w) => w.t > warmup + (2 * measured) / 3).map((w) => w.histogram),
);
const checks: Check[] = [
  memoryCheck({ rssMb: rss, fds }, warmup),
  latencyCheck(percentileMs(firstThird, 99), percentileMs(lastThird, 99)),
  descriptorCheck({ rssMb: rss, fds }, warmup),
  deliveryCheck(soak),
];
const heap = series((w) => w.sample.metrics?.heapUsedMb);
const lagP99 = series((w) => w.sample.metrics?.eventLoopLagP99Ms);
const windowP99 = series((w) => w.p99Ms);
const slopes = {
  rss_mb_per_h: slopePerHour(rss, warmup),
  heap_mb_per_h: slopePerHour(heap, warmup),
  fds_per_h: slopePerHour(fds, warmup),
  loop_lag_p99_ms_per_h: slopePerHour(lagP99, warmup),
  puback_p99_ms_per_h: slopePerHour(windowP99, warmup),
};
const last = soak.windows.at(-1)!.sample.metrics;
const cpuCores = (r: SoakResult) =>
  r.windows.reduce((a, w) => a + w.brokerCpuCores, 0) / Math.max(1, r.windows.length);
const peerAll = peer && merge(peer.windows.map((w) => w.histogram));
const peerRss = peer && Math.max(...peer.windows.map((w) => w.sample.rssMb));
const offered = soak.rate;

// The report file and the chart.
await mkdir(values.out, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const reportFile = join(values.out, `soak-${stamp}.json`);
const chartFile = join(values.out, `soak-${stamp}.svg`);
const run = {
  minutes,
  carts,
  connections,
  rate: offered,
  edges,
  warmup_s: warmup,
  node: process.version,
  cores,
};
await writeFile(
  reportFile,
  JSON.stringify(
    { bench: 'soak', run, checks, slopes, ceiling, platform: soak, mosquitto: peer },
    null,
    1,
  ),
);
await writeFile(
  chartFile,
  soakChart(
    `fleetplane soak: ${fmt(carts)} carts' peak (${offered.toFixed(0)} msg/s) over ${fmt(connections)} mTLS connections, ${minutes} min, ${cores} cores`,
    [
      {
        title: 'Resident memory, platform',
        unit: 'MB',
        fromLow: true,
        lines: [
          { label: 'RSS', points: rss, trend: true },
          { label: 'V8 heap used', points: heap },
        ],
      },
      {
        title: 'Publish → PUBACK (durable)',
        unit: 'ms',
        lines: [
          { label: 'p99', points: windowP99 },
          { label: 'p50', points: series((w) => w.p50Ms) },
        ],
      },
      {
        title: 'Event-loop delay',
        unit: 'ms',
        lines: [
          { label: 'p99', points: lagP99 },
          { label: 'p50', points: series((w) => w.sample.metrics?.eventLoopLagP50Ms) },
        ],
      },
      {
        title: 'Open file descriptors',
        unit: 'count',
        fromLow: true,
        lines: [{ label: 'fds', points: fds, trend: true }],
      },
      {
        title: 'Messages',
        unit: 'per second',
        lines: [
          { label: 'sent', points: series((w) => w.sentPerSecond) },
          { label: 'stored', points: series((w) => w.storedPerSecond) },
        ],
      },
    ],
    Math.max(runSeconds, windows.at(-1)!.t),
    warmup,
  ),
);

const ms = (n: number) => `${n.toFixed(1)} ms`;
const mix = Object.entries(peakMix())
  .map(([type, share]) => `${type} ${(share * 100).toFixed(1)} %`)
  .join(', ');
const rows: [string, string, string][] = [
  ['', 'platform', peer ? `Mosquitto (${peerMinutes} min)` : ''],
  ['offered, paced open loop', `${fmt(offered)}/s`, peer ? `${fmt(peer.rate)}/s` : ''],
  [
    'mTLS connections held (carts per connection)',
    `${fmt(soak.connections)} (${(carts / connections).toFixed(1)})`,
    peer ? fmt(peer.connections) : '',
  ],
  [
    'publish→PUBACK p50 / p99, whole run',
    `${ms(percentileMs(all, 50))} / ${ms(percentileMs(all, 99))}`,
    peerAll ? `${ms(percentileMs(peerAll, 50))} / ${ms(percentileMs(peerAll, 99))}` : '',
  ],
  [
    '  p99 first third / last third',
    `${ms(percentileMs(firstThird, 99))} / ${ms(percentileMs(lastThird, 99))}`,
    '',
  ],
  [
    'resident memory, first / last sample',
    `${fmt(rss[0]!.value)} / ${fmt(rss.at(-1)!.value)} MB`,
    peerRss ? `${fmt(peerRss)} MB (most)` : '',
  ],
  ['  slope after warm-up', `${slopes.rss_mb_per_h.toFixed(1)} MB/h`, ''],
  ['V8 heap used, slope after warm-up', `${slopes.heap_mb_per_h.toFixed(1)} MB/h`, ''],
  [
    'event-loop delay p99, mean of windows',
    ms(lagP99.reduce((a, p) => a + p.value, 0) / Math.max(1, lagP99.length)),
    '',
  ],
  [
    'open descriptors, first / last',
    `${fds[0]!.value} / ${fds.at(-1)!.value}`,
    peer ? String(peer.windows.at(-1)!.sample.fds) : '',
  ],
  [
    'broker CPU, mean',
    `${(cpuCores(soak) * 100).toFixed(0)} % of a core`,
    peer ? `${(cpuCores(peer) * 100).toFixed(0)} % of a core` : '',
  ],
  [
    'sent / acknowledged / unacknowledged',
    `${fmt(soak.sent)} / ${fmt(soak.acked)} / ${fmt(soak.unacknowledged)}`,
    peer ? `${fmt(peer.sent)} / ${fmt(peer.acked)} / ${fmt(peer.unacknowledged)}` : '',
  ],
  [
    'stored / rejected / dead-lettered / failed store batches',
    last
      ? `${fmt(last.stored)} / ${fmt(last.rejected)} / ${fmt(last.deadLettered)} / ${fmt(last.storeFailures)}`
      : '',
    '',
  ],
  [
    'connections dropped by the broker / reconnected',
    `${soak.dropped} / ${soak.reconnected}`,
    peer ? `${peer.dropped} / ${peer.reconnected}` : '',
  ],
  ...Object.entries(soak.droppedAfter).map(([after, n]): [string, string, string] => [
    `  after ${after}`,
    String(n),
    '',
  ]),
  [
    'load generator CPU',
    `${((soak.loadCpuSeconds / soak.wallSeconds) * 100).toFixed(0)} % of a core`,
    '',
  ],
  [
    `ECDSA P-256 verify ceiling, ${cores} cores (same run)`,
    `${fmt(ceiling)}/s (offered: ${((offered / ceiling) * 100).toFixed(1)} %)`,
    '',
  ],
];
const w0 = Math.max(...rows.map((r) => r[0].length));
const w1 = Math.max(...rows.map((r) => r[1].length));
console.log(
  `\nSoak on Node ${process.version}, ${cores} cores: ${fmt(carts)} carts at the PRD's peak (${mix}) over ${fmt(connections)} connections, ${minutes} min, platform with ${edges} edge processes\n`,
);
for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`);
console.log('');
for (const c of checks)
  console.log(`${c.pass ? 'PASS' : 'FAIL'}  ${c.name}: ${c.figure} (${c.bound})`);
console.log(`\nReport: ${reportFile}\nChart:  ${chartFile}`);
console.log(
  JSON.stringify({
    bench: 'soak',
    ...run,
    rate: Math.round(offered),
    p50_ms: Number(percentileMs(all, 50).toFixed(2)),
    p99_ms: Number(percentileMs(all, 99).toFixed(2)),
    p99_first_third_ms: Number(percentileMs(firstThird, 99).toFixed(2)),
    p99_last_third_ms: Number(percentileMs(lastThird, 99).toFixed(2)),
    rss_first_mb: Math.round(rss[0]!.value),
    rss_last_mb: Math.round(rss.at(-1)!.value),
    slopes: Object.fromEntries(Object.entries(slopes).map(([k, v]) => [k, Number(v.toFixed(2))])),
    fds_first: fds[0]!.value,
    fds_last: fds.at(-1)!.value,
    sent: soak.sent,
    unacknowledged: soak.unacknowledged,
    dropped: soak.dropped,
    dropped_after: soak.droppedAfter,
    reconnected: soak.reconnected,
    store_failures: last?.storeFailures ?? 0,
    stored: last?.stored ?? 0,
    rejected: last?.rejected ?? 0,
    platform_cpu_cores: Number(cpuCores(soak).toFixed(2)),
    verify_ceiling_per_s: Math.round(ceiling),
    ...(peer && peerAll
      ? {
          mosquitto: {
            minutes: peerMinutes,
            p50_ms: Number(percentileMs(peerAll, 50).toFixed(2)),
            p99_ms: Number(percentileMs(peerAll, 99).toFixed(2)),
            rss_mb: Math.round(peerRss ?? 0),
            cpu_cores: Number(cpuCores(peer).toFixed(2)),
          },
        }
      : {}),
    verdict: checks.every((c) => c.pass) ? 'pass' : 'fail',
    checks: Object.fromEntries(checks.map((c) => [c.name, c.pass])),
    report: reportFile,
    chart: chartFile,
  }),
);
process.exit(checks.every((c) => c.pass) ? 0 : 1);
