// `npm run bench:scale`: the self-hosted scale-out layout's ingest (decision 059) measured with
// 1, 2 and 4 `fleetplane start --role ingest` processes on Mosquitto's shared subscription, in
// one run, beside the all-core ECDSA verify ceiling and Mosquitto alone carrying the same load
// to a plain counting subscriber. Every configuration gets a fresh Mosquitto (the generated
// mutual-TLS configuration) and a fresh DynamoDB table on dynalite (its own process), and the
// same open-loop load. Ends with one JSON line.
//
//   npm run bench:scale -- [--rate 3000] [--seconds 20] [--devices 20] [--processes 1,2,4]
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { identityCommands } from '../src/cli/identity/index.js';
import { main } from '../src/cli/main.js';
import { writeMosquittoConfig } from '../src/edge/broker/mosquitto-config.js';
import { ensureServiceCredentials } from '../src/edge/broker/service-identity.js';
import { loadFleetCa, openIdentity } from '../src/edge/identity/index.js';
import { platformLayout } from '../src/platform/platform-layout.js';
import { lagPercentile } from '../src/platform/stored-lag.js';
import { DynamoDbTelemetryStore } from '../src/stores/telemetry/dynamodb/dynamodb-telemetry-store.js';
import { waitForPort } from './fleet/bench-mosquitto.js';
import { fmt } from './measure.js';
import { countingSubscriber } from './scale-subscriber.js';
import { measureVerifyCeiling } from './verify-ceiling.js';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '3000' },
    seconds: { type: 'string', default: '20' },
    devices: { type: 'string', default: '20' },
    processes: { type: 'string', default: '1,2,4' },
  },
});
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const devices = Number(values.devices);
const counts = values.processes.split(',').map(Number);
const step = (text: string) => process.stderr.write(`bench:scale: ${text}\n`);
const root = new URL('../', import.meta.url).pathname;
const postgresUrl =
  process.env['FLEETPLANE_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
// dynalite takes any key; the SDK wants one.
process.env['AWS_ACCESS_KEY_ID'] ??= 'bench';
process.env['AWS_SECRET_ACCESS_KEY'] ??= 'bench';
process.env['AWS_REGION'] ??= 'us-east-1';

step('ECDSA P-256 verification ceiling, all cores');
const ceiling = await measureVerifyCeiling(2000);

const data = await mkdtemp(join(tmpdir(), 'fleetplane-bench-scale-'));
const quiet = { out: () => undefined, err: () => undefined };
const run = async (...argv: string[]) => {
  if ((await main(argv, quiet, identityCommands())) !== 0) throw new Error(argv.join(' '));
};
await run('ca', 'init', '--data', data);
await run('store', 'add', '--data', data, '--id', 'bench-1', '--name', 'Bench');
step(`provisioning ${devices} devices`);
const dirs: string[] = [];
for (let i = 0; i < devices; i++) {
  const serial = `SCALE-${String(i).padStart(4, '0')}`;
  dirs.push(join(data, 'devices-out', serial));
  await run(
    'provision',
    '--data',
    data,
    '--serial',
    serial,
    '--store',
    'bench-1',
    '--out',
    dirs[i]!,
  );
}
const identity = openIdentity(data);
const ca = await loadFleetCa(identity.layout);
// Issued once here, not raced by N processes starting at once.
await ensureServiceCredentials(platformLayout(data).brokerDir, ca, new Date());

const database = `fp_bench_scale_${process.pid}`;
const admin = async (sql: string) => {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query(sql).finally(() => client.end());
};
await admin(`CREATE DATABASE ${database}`);
const entityUrl = Object.assign(new URL(postgresUrl), { pathname: `/${database}` }).toString();

const children: ChildProcess[] = [];
const dynalite = spawn(
  process.execPath,
  [
    '--input-type=module',
    '-e',
    "import d from 'dynalite'; const s = d({ createTableMs: 0 }); s.listen(0, '127.0.0.1', () => console.log(s.address().port));",
  ],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
);
children.push(dynalite);
const dynamoPort = Number(await firstLine(dynalite, /^(\d+)$/));

interface Row {
  readonly processes: number | 'mosquitto alone';
  readonly sent: number;
  readonly stored: number;
  readonly storedPerSecond: number;
  readonly p99Ms: number;
}
const rows: Row[] = [];
for (const n of [0, ...counts]) rows.push(await measure(n));

const label = (r: Row) => (typeof r.processes === 'number' ? `${r.processes} ingest` : r.processes);
console.log(
  `\nMosquitto scale-out, ${devices} devices, ${fmt(rate)} msg/s offered for ${seconds} s`,
);
console.log(
  `verify ceiling (all ${availableParallelism()} cores): ${fmt(ceiling)} verifications/s`,
);
console.log('configuration      sent      stored   stored msg/s   p99 publish→stored');
for (const r of rows) {
  const p99 = Number.isFinite(r.p99Ms) ? `≤ ${fmt(r.p99Ms)} ms` : '> 30 s';
  console.log(
    `${label(r).padEnd(16)} ${fmt(r.sent).padStart(7)} ${fmt(r.stored).padStart(11)} ${fmt(r.storedPerSecond).padStart(14)}   ${p99}`,
  );
}
console.log(
  JSON.stringify({
    bench: 'scale',
    devices,
    offered_per_s: rate,
    seconds,
    verify_ceiling_per_s: Math.round(ceiling),
    configs: rows.map((r) => ({
      processes: r.processes,
      sent: r.sent,
      stored: r.stored,
      stored_per_s: Math.round(r.storedPerSecond),
      p99_ms: Number.isFinite(r.p99Ms) ? r.p99Ms : null,
    })),
  }),
);
for (const child of children) child.kill('SIGTERM');
await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
await rm(data, { recursive: true, force: true });
process.exit(0);

/** One configuration: n ingest processes (0: a plain counting subscriber) on a fresh Mosquitto. */
async function measure(n: number): Promise<Row> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const files = await writeMosquittoConfig(identity.layout, platformLayout(data), ca, {
    ...{ outDir: join(data, `mosquitto-${n}`), port, hostnames: ['127.0.0.1'] },
    ...{ now: new Date(), runAsUser: 'root' },
  });
  await appendFile(files.config, 'log_dest none\n');
  const mosquitto = spawn('/usr/sbin/mosquitto', ['-c', files.config], { stdio: 'ignore' });
  await waitForPort(port, mosquitto);
  const url = `mqtts://127.0.0.1:${port}`;
  let read: () => Promise<{ stored: number; lag: number[] }>;
  let stop: () => Promise<void>;
  if (n === 0) {
    step('Mosquitto alone: a plain subscriber counting');
    const subscriber = await countingSubscriber(url, data, ca);
    read = async () => subscriber.read();
    stop = () => subscriber.close();
  } else {
    const table = `scale_${n}`;
    const telemetryUrl = `dynamodb://127.0.0.1:${dynamoPort}/${table}`;
    // Created once here: N processes creating it at once would race.
    await (
      await DynamoDbTelemetryStore.open({ endpoint: `http://127.0.0.1:${dynamoPort}`, table })
    ).close();
    step(`${n} ingest process${n > 1 ? 'es' : ''}`);
    const ingests = Array.from({ length: n }, () =>
      spawn(
        process.execPath,
        [
          '--max-semi-space-size=64',
          'bin/fleetplane.js',
          ...['start', '--role', 'ingest', '--data', data, '--api-host', '127.0.0.1'],
          ...['--api-port', '0', '--broker-url', url, '--entity-url', entityUrl],
          ...['--telemetry-url', telemetryUrl],
        ],
        { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] },
      ),
    );
    const health = await Promise.all(ingests.map((c) => firstLine(c, /health\s+(http:\S+)/)));
    read = async () => {
      const reports = await Promise.all(
        health.map(async (h) => {
          const body = (await (await fetch(h)).json()) as {
            messages: { stored: number };
            stored_lag_ms: { counts: number[] };
          };
          return { stored: body.messages.stored, lag: body.stored_lag_ms.counts };
        }),
      );
      return {
        stored: reports.reduce((a, r) => a + r.stored, 0),
        lag: reports[0]!.lag.map((_, i) => reports.reduce((a, r) => a + r.lag[i]!, 0)),
      };
    };
    stop = async () => {
      await Promise.all(
        ingests.map((c) => {
          c.kill('SIGTERM');
          return new Promise((r) => c.once('exit', r));
        }),
      );
    };
  }
  const load = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'bench/scale-load.ts',
      JSON.stringify({ url, deviceDirs: dirs, rate, durationMs: seconds * 1000 }),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await firstLine(load, /"connected"/);
  const before = await read();
  const done = JSON.parse(await firstLine(load, /^(\{"event":"done".*)$/)) as { sent: number };
  const atEnd = await read();
  // What was sent last may still be on its way: stored counts keep rising for a moment.
  let after = atEnd;
  for (let i = 0; i < 10 && after.stored < done.sent; i++) {
    await new Promise((r) => setTimeout(r, 500));
    after = await read();
  }
  await stop();
  mosquitto.kill('SIGTERM');
  await new Promise((r) => mosquitto.once('exit', r));
  return {
    processes: n === 0 ? 'mosquitto alone' : n,
    sent: done.sent,
    stored: after.stored - before.stored,
    storedPerSecond: (atEnd.stored - before.stored) / seconds,
    p99Ms: lagPercentile(
      after.lag.map((c, i) => c - before.lag[i]!),
      0.99,
    ),
  };
}

/** The first capture of `pattern` in a line of the child's stdout. */
function firstLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const onExit = (code: number | null) => reject(new Error(`exited (${code}) before ${pattern}`));
    lines.on('line', (line) => {
      const match = pattern.exec(line);
      if (!match) return;
      child.off('exit', onExit);
      resolve(match[1] ?? match[0]);
    });
    child.once('exit', onExit);
  });
}
