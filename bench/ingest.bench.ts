// npm run bench:ingest — sustained signed messages per second stored by the embedded platform,
// driven over mutual TLS from a separate process, with publish-to-stored latency, the cost of
// an idle connection on the embedded broker, and the ECDSA verification ceiling measured in the
// same run. Options: --devices N (100) --window N (32) --seconds N (20) --idle N (1000)
// --verify-threads N (default: one per core) --presign-rate N (20000: messages signed before the
// run, as messages per second over its length, spread over the devices) --rate N (0: send as fast
// as the window allows; N: pace N messages a second over all devices, open loop, for latency)
// --rules FILE (a rule set put in force through the API before the load; bench:rules uses it)
// --queue-url nats://HOST:PORT (the JetStream ingest queue between broker and store, decision 055,
// on a stream of the run's own, deleted at the end; PUBACK then means "in the stream").
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { identityCommands } from '../src/cli/identity/index.js';
import { main } from '../src/cli/main.js';
import { openEntities } from '../src/cli/platform/entities.js';
import { silentLogger } from '../src/shared/observability/logger.js';
import { defaultConfig } from '../src/platform/platform-config.js';
import { startPlatform } from '../src/platform/platform.js';
import { issueToken, loadTokenKeys } from '../src/surfaces/api/tokens.js';
import { apiFetch } from '../src/cli/platform/api-fetch.js';
import { fmt } from './measure.js';
import { requirePlatformNodeFlags } from './node-flags.js';
import { measureVerifyCeiling } from './verify-ceiling.js';
import { removeBenchStream } from './bench-queue.js';

requirePlatformNodeFlags('bench:ingest');

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '100' },
    window: { type: 'string', default: '32' },
    rate: { type: 'string', default: '0' },
    seconds: { type: 'string', default: '20' },
    idle: { type: 'string', default: '1000' },
    'verify-threads': { type: 'string' },
    'presign-rate': { type: 'string', default: '20000' },
    rules: { type: 'string' },
    'queue-url': { type: 'string' },
  },
});
const devices = Number(values.devices);
const window = Number(values.window);
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const idle = Number(values.idle);
const presignRate = Number(values['presign-rate']);
const verifyThreads =
  values['verify-threads'] === undefined ? undefined : Number(values['verify-threads']);
const step = (text: string) => process.stderr.write(`… ${text}\n`);
const quiet = { out: () => undefined, err: (l: string) => process.stderr.write(`${l}\n`) };

step('ECDSA P-256 verification ceiling, all cores');
const cores = availableParallelism();
const ceiling = await measureVerifyCeiling(3000, cores);

const data = await mkdtemp(join(tmpdir(), 'fleetplane-bench-'));
const run = async (...argv: string[]) => {
  if ((await main(argv, quiet, identityCommands())) !== 0)
    throw new Error(`failed: ${argv.join(' ')}`);
};
await run('ca', 'init', '--data', data);
await run('store', 'add', '--data', data, '--id', 'bench-1', '--name', 'Bench');
const total = Math.max(devices, idle);
step(`provisioning ${total} devices`);
const dirs: string[] = [];
for (let i = 0; i < total; i++) {
  const serial = `BENCH-${String(i).padStart(5, '0')}`;
  const out = join(data, 'devices', serial);
  await run('provision', '--data', data, '--serial', serial, '--store', 'bench-1', '--out', out);
  dirs.push(out);
  if ((i + 1) % 250 === 0) step(`  ${i + 1}/${total}`);
}

step('starting the platform (embedded broker, PGlite, SQLite)');
const platform = await startPlatform(
  {
    ...defaultConfig(data),
    // No message rate: 100 devices × 32 in flight push each past 100 a second, to find the
    // platform's ceiling rather than the rate a cart is held to (decision 052).
    mqtt: { host: '127.0.0.1', port: 0, hostnames: ['127.0.0.1'], messageRate: false },
    api: { host: '127.0.0.1', port: 0 },
    deviceApi: { port: 0 },
    ...(verifyThreads === undefined ? {} : { verifyThreads }),
    ...(values['queue-url'] === undefined
      ? {}
      : { queue: { url: values['queue-url'], stream: `BENCH_${process.pid}` } }),
  },
  { openEntities, log: silentLogger() },
);

if (values.rules !== undefined) {
  // As an operator would: through the API, in force for the next message.
  const document = JSON.parse(await readFile(values.rules, 'utf8')) as { profile: string };
  const token = await issueToken(
    await loadTokenKeys(platform.layout.tokenKey),
    { role: 'ops' },
    new Date(),
  );
  const response = await apiFetch(platform.apiTrust?.pem)(
    `${platform.apiUrl}/v1/rules/${document.profile}`,
    {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(document),
    },
  );
  if (!response.ok) throw new Error(`the rule set was refused: ${await response.text()}`);
  step(`rule set for ${document.profile} in force`);
}

function load(plan: object, onEvent: (e: Record<string, unknown>) => void) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/ingest-load.ts', JSON.stringify(plan)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => onEvent(JSON.parse(line) as Record<string, unknown>));
  return {
    child,
    done: new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1))),
  };
}

// Phase 1: throughput.
step(
  rate > 0
    ? `latency: ${devices} devices paced at ${rate} messages/s in all, ${seconds} s after 3 s warm-up`
    : `throughput: ${devices} devices × ${window} in flight, ${seconds} s after 3 s warm-up`,
);
const warmupMs = 3000;
let result: Record<string, number> = {};
let storedAtStart = 0;
let measureStart = 0;
let cpuAtStart = process.cpuUsage();
let storedAtEnd = 0;
let measureEnd = 0;
let cpuWindow = { user: 0, system: 0 };
let eluAtStart = performance.eventLoopUtilization();
let eluWindow = 0;
// Garbage collection on the platform's event loop (the platform runs in this process).
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
}).observe({ entryTypes: ['gc'] });
let gcAtStart = 0;
let gcWindow = 0;
// Mean telemetry batch (group commit) over the window, from the platform's own histogram.
const batchTotals = async () => {
  const values = (await platform.metrics.batchSize.get()).values;
  const pick = (name: string) => values.find((v) => v.metricName === name)?.value ?? 0;
  return {
    sum: pick('fleetplane_ingest_batch_size_sum'),
    count: pick('fleetplane_ingest_batch_size_count'),
  };
};
let batchesAtStart = { sum: 0, count: 0 };
let meanBatch = 0;
const throughput = load(
  {
    url: platform.mqttUrl,
    deviceDirs: dirs.slice(0, devices),
    mode: 'throughput',
    rate,
    warmupMs,
    durationMs: seconds * 1000,
    window,
    presign:
      Math.ceil(((rate > 0 ? rate : presignRate) * (warmupMs / 1000 + seconds)) / devices) + 1,
  },
  (event) => {
    if (event['event'] === 'signed')
      step(`  signed ahead for ${event['devices']}/${event['of']} devices`);
    if (event['event'] === 'load-started') {
      setTimeout(() => {
        void platform.telemetry.count().then((n) => {
          storedAtStart = n;
          measureStart = performance.now();
          cpuAtStart = process.cpuUsage();
          eluAtStart = performance.eventLoopUtilization();
          gcAtStart = gcMs;
          void batchTotals().then((b) => (batchesAtStart = b));
        });
        setTimeout(
          () => {
            void platform.telemetry.count().then((n) => {
              storedAtEnd = n;
              measureEnd = performance.now();
              cpuWindow = process.cpuUsage(cpuAtStart);
              eluWindow = performance.eventLoopUtilization(eluAtStart).utilization;
              gcWindow = (gcMs - gcAtStart) / (measureEnd - measureStart);
              void batchTotals().then((b) => {
                meanBatch =
                  (b.sum - batchesAtStart.sum) / Math.max(1, b.count - batchesAtStart.count);
              });
            });
          },
          seconds * 1000 - 500,
        );
      }, warmupMs);
      const progress = setInterval(() => {
        void platform.telemetry.count().then((n) => step(`  ${fmt(n)} stored`));
      }, 5000);
      progress.unref();
      throughput.done.finally(() => clearInterval(progress));
    }
    if (event['event'] === 'done') result = event as Record<string, number>;
  },
);
if ((await throughput.done) !== 0) throw new Error('load process failed');
const storedPerSecond = (storedAtEnd - storedAtStart) / ((measureEnd - measureStart) / 1000);
const platformCpu =
  (cpuWindow.user + cpuWindow.system) / 1e6 / ((measureEnd - measureStart) / 1000);
await platform.projector.catchUp();
const stored = await platform.telemetry.count();

// Phase 2: what an idle connection costs the embedded broker.
step(`connections: ${idle} idle devices`);
// Heap after a full collection, with and without the connections (--expose-gc). RSS and
// external memory are no use here: they still hold the throughput phase's peak and swing with it.
const settled = () => {
  global.gc?.();
  return { heapUsed: process.memoryUsage().heapUsed };
};
const before = settled();
let during = before;
let connectSeconds = 0;
let connected = 0;
const idleRun = load(
  {
    url: platform.mqttUrl,
    deviceDirs: dirs.slice(0, idle),
    mode: 'idle',
    warmupMs: 0,
    durationMs: 0,
    window: 0,
    presign: 0,
  },
  (event) => {
    if (event['event'] === 'connected') {
      connectSeconds = event['seconds'] as number;
      connected = event['devices'] as number;
      setTimeout(() => {
        during = settled();
        idleRun.child.stdin.write('go\n');
      }, 1000);
    }
  },
);
await idleRun.done;
const perConnectionHeapKb = (during.heapUsed - before.heapUsed) / 1024 / Math.max(1, connected);

await platform.stop();
if (values['queue-url'] !== undefined) await removeBenchStream(values['queue-url']);
await rm(data, { recursive: true, force: true });

const ratio = storedPerSecond / ceiling;
const rows: [string, string][] = [
  rate > 0
    ? ['devices, paced at (messages/s in all)', `${devices}, ${fmt(rate)}`]
    : ['devices × in-flight window', `${devices} × ${window}`],
  ['signed messages stored per second (sustained)', fmt(storedPerSecond)],
  [`ECDSA P-256 verify ceiling, ${cores} cores (same run)`, fmt(ceiling)],
  ['stored / ceiling', `${(ratio * 100).toFixed(1)} %`],
  ['publish-to-stored p50 (PUBACK after durable)', `${result['p50_ms']?.toFixed(1)} ms`],
  ['publish-to-stored p99', `${result['p99_ms']?.toFixed(1)} ms`],
  ['mean messages per durable telemetry commit', meanBatch.toFixed(0)],
  ['platform CPU during the window', `${(platformCpu * 100).toFixed(0)} % of one core`],
  ['platform event loop busy (broker, ingest, API)', `${(eluWindow * 100).toFixed(0)} %`],
  ['of which garbage collection', `${(gcWindow * 100).toFixed(0)} % of the window`],
  [
    'load generator CPU',
    `${(((result['load_cpu_seconds'] ?? 0) / (result['wall_seconds'] ?? 1)) * 100).toFixed(0)} % of one core`,
  ],
  ['messages stored in all', fmt(stored)],
  ['messages the load generator had to sign during the run', fmt(result['signed_during_run'] ?? 0)],
  [
    `idle mTLS connections opened`,
    `${connected} in ${connectSeconds.toFixed(1)} s (${fmt(connected / connectSeconds)}/s)`,
  ],
  ['embedded broker memory per idle connection', `${perConnectionHeapKb.toFixed(1)} KB of heap`],
];
const width = Math.max(...rows.map(([k]) => k.length));
console.log(`\nIngest on Node ${process.version}, ${cores} cores\n`);
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
const p99 = result['p99_ms'] ?? 0;
console.log(
  rate > 0
    ? `\nTarget: paced, p99 publish→PUBACK under 50 ms — ${p99 < 50 ? 'met' : 'not met'} (${p99.toFixed(1)} ms).`
    : `\nTarget: at least half the verification ceiling — ${ratio >= 0.5 ? 'met' : 'not met'} (${(ratio * 100).toFixed(1)} %).`,
);
console.log(
  JSON.stringify({
    bench: 'ingest',
    node: process.version,
    cores,
    devices,
    window,
    rate,
    stored_per_s: Math.round(storedPerSecond),
    verify_ceiling_per_s: Math.round(ceiling),
    ratio: Number(ratio.toFixed(3)),
    p50_ms: Number((result['p50_ms'] ?? 0).toFixed(2)),
    p99_ms: Number((result['p99_ms'] ?? 0).toFixed(2)),
    load_cpu_cores: Number(
      ((result['load_cpu_seconds'] ?? 0) / (result['wall_seconds'] ?? 1)).toFixed(2),
    ),
    signed_during_run: result['signed_during_run'] ?? 0,
    platform_cpu_cores: Number(platformCpu.toFixed(2)),
    mean_commit_batch: Math.round(meanBatch),
    event_loop_utilisation: Number(eluWindow.toFixed(2)),
    gc_share: Number(gcWindow.toFixed(2)),
    idle_connections: connected,
    connect_per_s: Math.round(connected / connectSeconds),
    heap_kb_per_connection: Number(perConnectionHeapKb.toFixed(1)),
  }),
);
