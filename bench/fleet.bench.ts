// npm run bench:fleet — a fleet connecting at once: first-time devices (admitted just in time)
// and the same devices reconnecting, to the embedded platform and, in the same run with the same
// certificates and load generator, to Debian's Mosquitto with the project's generated mutual-TLS
// configuration. Reports admissions per second, CONNACK latency, the broker's CPU per connection
// at few and at many held connections (a connect must not cost more as more are held), resident
// memory with the fleet held, and publish→stored latency while 1 in K held devices send
// telemetry. A bare Node TLS server answering CONNECT with CONNACK is measured too: the floor of
// any Node broker. The platform's CPU and memory include its edge processes.
// Options: --devices N (10000) --edges N (the platform's edge processes, 0) --clients N
// (load-generator processes, 2; each may hold ~19,000 connections) --concurrency N (handshakes
// in flight per process, 200) --probe N (devices in the first and last step of a storm, 1000)
// --telemetry-every K (100) --telemetry-seconds S (20) --no-mosquitto.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startBenchMosquitto } from './fleet/bench-mosquitto.js';
import { ensureFleet, freshDataDir } from './fleet/fleet-cache.js';
import {
  percentile,
  threadCpuDelta,
  threadCpuSeconds,
  treeCpuSeconds,
  treeResidentMb,
} from './fleet/process-stats.js';
import { StormClients, type ConnectReport } from './fleet/storm-clients.js';
import { fmt } from './measure.js';
import { platformNodeFlags } from './node-flags.js';
import { measureVerifyCeiling } from './verify-ceiling.js';

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '10000' },
    clients: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '200' },
    probe: { type: 'string', default: '1000' },
    'no-mosquitto': { type: 'boolean', default: false },
    edges: { type: 'string', default: '0' },
    'telemetry-every': { type: 'string', default: '100' },
    'telemetry-seconds': { type: 'string', default: '20' },
  },
});
const devices = Number(values.devices);
const processes = Number(values.clients);
const concurrency = Number(values.concurrency);
const probe = Math.min(Number(values.probe), Math.floor(devices / 3));
const telemetryEvery = Number(values['telemetry-every']);
const telemetrySeconds = Number(values['telemetry-seconds']);
const step = (text: string) => process.stderr.write(`… ${text}\n`);
const cores = availableParallelism();

step('ECDSA P-256 verification ceiling, all cores');
const ceiling = await measureVerifyCeiling(3000, cores);
const fleet = await ensureFleet(devices, step);

interface Storm {
  readonly rate: number;
  readonly ok: number;
  readonly failed: number;
  readonly errors: Record<string, number>;
  readonly p50: number;
  readonly p99: number;
  readonly cpuMsPerConnect: number;
  readonly cpuMsFirst: number;
  readonly cpuMsLast: number;
  readonly clientCpuMsPerConnect: number;
}

/** Connects the whole fleet in three steps: `probe` devices, the bulk, the last `probe`. */
async function storm(label: string, pid: number, clients: StormClients): Promise<Storm> {
  const parts: { report: ConnectReport; cpu: number }[] = [];
  const threads = threadCpuSeconds(pid);
  for (const count of [probe, devices - 2 * probe, probe]) {
    const cpu = treeCpuSeconds(pid);
    const report = await clients.connect(count, concurrency);
    parts.push({ report, cpu: treeCpuSeconds(pid) - cpu });
    step(
      `  ${label}: ${fmt(report.ok)} in ${report.seconds.toFixed(1)} s${report.failed ? `, ${report.failed} failed ${JSON.stringify(report.errors)}` : ''}`,
    );
  }
  const ok = parts.reduce((a, p) => a + p.report.ok, 0);
  const byThread = threadCpuDelta(threads, threadCpuSeconds(pid))
    .slice(0, 5)
    .map(([name, s]) => `${name} ${((s * 1000) / Math.max(1, ok)).toFixed(2)}`);
  step(`  ${label}: CPU ms per connect by thread: ${byThread.join(', ')}`);
  const seconds = parts.reduce((a, p) => a + p.report.seconds, 0);
  const latencies = parts.flatMap((p) => p.report.latenciesMs);
  const cpuMs = (p: (typeof parts)[number]) => (p.cpu * 1000) / Math.max(1, p.report.ok);
  const errors: Record<string, number> = {};
  for (const p of parts)
    for (const [k, v] of Object.entries(p.report.errors)) errors[k] = (errors[k] ?? 0) + v;
  return {
    rate: ok / seconds,
    ok,
    failed: parts.reduce((a, p) => a + p.report.failed, 0),
    errors,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpuMsPerConnect: (parts.reduce((a, p) => a + p.cpu, 0) * 1000) / Math.max(1, ok),
    cpuMsFirst: cpuMs(parts[0]!),
    cpuMsLast: cpuMs(parts[2]!),
    clientCpuMsPerConnect:
      (parts.reduce((a, p) => a + p.report.clientCpuSeconds, 0) * 1000) / Math.max(1, ok),
  };
}

interface BrokerRun {
  readonly first: Storm;
  readonly again: Storm;
  readonly residentMb: number;
  readonly telemetry: {
    devices: number;
    perSecond: number;
    p50: number;
    p99: number;
    lost: number;
  };
}

async function measure(
  name: string,
  pid: number,
  host: string,
  port: number,
  withTelemetry = true,
): Promise<BrokerRun> {
  step(`${name}: starting ${processes} load generators for ${fmt(devices)} devices`);
  const clients = await StormClients.start({
    host,
    port,
    devicesFile: fleet.devicesFile,
    devices,
    processes,
  });
  step(`${name}: the fleet connects for the first time`);
  const first = await storm('first', pid, clients);
  const held = treeResidentMb(pid);
  step(`${name}: ${fmt(first.ok)} held, ${held.toFixed(0)} MB resident`);
  // The bare TLS server answers CONNECT only: it has no telemetry to measure.
  const sent = withTelemetry
    ? await clients.telemetry(telemetryEvery, 1, telemetrySeconds)
    : { devices: 0, sent: 0, lost: 0, latenciesMs: [] };
  const telemetry = {
    devices: sent.devices,
    perSecond: sent.sent / telemetrySeconds,
    p50: percentile(sent.latenciesMs, 50),
    p99: percentile(sent.latenciesMs, 99),
    lost: sent.lost,
  };
  step(
    `  telemetry: ${sent.devices} devices, 1 message/s each for ${telemetrySeconds} s: publish→PUBACK p50 ${telemetry.p50} ms, p99 ${telemetry.p99} ms, ${sent.lost} unacknowledged`,
  );
  step(`${name}: all disconnect`);
  await clients.closeAll();
  await new Promise((r) => setTimeout(r, 2000));
  step(`${name}: the fleet reconnects`);
  const again = await storm('again', pid, clients);
  await clients.closeAll();
  await clients.stop();
  return { first, again, residentMb: held, telemetry };
}

// The platform, in its own process so that its CPU and memory are its own.
const platformData = await mkdtemp(join(tmpdir(), 'fleetplane-fleet-'));
await freshDataDir(fleet, platformData);
step('starting the platform (embedded broker, PGlite, SQLite)');
// FLEET_BENCH_CPU_PROF=DIR writes the platform's CPU profiles there (scripts/cpu-profile-top.mjs).
const profileDir = process.env['FLEET_BENCH_CPU_PROF'];
const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
const platform = spawn(
  process.execPath,
  // From dist/, as `fleetplane start` runs (the bench script builds first): a TypeScript
  // loader in the platform and in each edge process would add its own memory and CPU.
  [...platformNodeFlags, ...profile, 'bench/platform-process.mjs', platformData, values.edges],
  {
    stdio: ['pipe', 'pipe', 'inherit'],
  },
);
const firstLine = await createInterface({ input: platform.stdout! })[Symbol.asyncIterator]().next();
const { mqttUrl } = JSON.parse(firstLine.value as string) as { mqttUrl: string };
const mqtt = new URL(mqttUrl);
const platformRun = await measure('platform', platform.pid!, mqtt.hostname, Number(mqtt.port));
platform.stdin!.end();
await new Promise((r) => platform.once('exit', r));
await rm(platformData, { recursive: true, force: true });

// The floor: Node's TLS server alone, same policy and trust, a CONNACK for every CONNECT. One
// process: measured only for a fleet one process can hold (a process may hold 20,000 files here).
const ONE_PROCESS_MAX = 18_000;
let bareRun: BrokerRun | undefined;
if (devices <= ONE_PROCESS_MAX) {
  const bareData = await mkdtemp(join(tmpdir(), 'fleetplane-fleet-bare-'));
  await freshDataDir(fleet, bareData);
  const bare = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./fleet/bare-tls-server.ts', import.meta.url).pathname, bareData],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const bareLine = await createInterface({ input: bare.stdout! })[Symbol.asyncIterator]().next();
  const { port: barePort } = JSON.parse(bareLine.value as string) as { port: number };
  step('Node TLS floor: a bare mutual-TLS server');
  bareRun = await measure('node-tls', bare.pid!, '127.0.0.1', barePort, false);
  bare.stdin!.end();
  await new Promise((r) => bare.once('exit', r));
  await rm(bareData, { recursive: true, force: true });
} else {
  step(`Node TLS floor: not measured, one process cannot hold ${fmt(devices)} connections here`);
}

let mosquittoRun: BrokerRun | undefined;
if (!values['no-mosquitto'] && devices > ONE_PROCESS_MAX) {
  step(`Mosquitto: not measured, one process cannot hold ${fmt(devices)} connections here`);
} else if (!values['no-mosquitto']) {
  const mosquitto = await startBenchMosquitto(fleet, step);
  mosquittoRun = await measure('mosquitto', mosquitto.process.pid!, '127.0.0.1', mosquitto.port);
  await mosquitto.stop();
}

const row = (label: string, platformValue: string, peer?: string): [string, string, string] => [
  label,
  platformValue,
  peer ?? '',
];
const rate = (s: Storm) => `${fmt(s.rate)}/s`;
const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;
const m = mosquittoRun;
const rows: [string, string, string][] = [
  ['', 'platform', m ? 'Mosquitto' : ''],
  row('first-time connects per second', rate(platformRun.first), m && rate(m.first)),
  row(
    '  CONNACK p50 / p99',
    `${ms(platformRun.first.p50)} / ${ms(platformRun.first.p99)}`,
    m && `${ms(m.first.p50)} / ${ms(m.first.p99)}`,
  ),
  row(
    '  broker CPU per connect',
    ms(platformRun.first.cpuMsPerConnect),
    m && ms(m.first.cpuMsPerConnect),
  ),
  row('reconnects per second', rate(platformRun.again), m && rate(m.again)),
  row(
    '  CONNACK p50 / p99',
    `${ms(platformRun.again.p50)} / ${ms(platformRun.again.p99)}`,
    m && `${ms(m.again.p50)} / ${ms(m.again.p99)}`,
  ),
  row(
    '  broker CPU per connect',
    ms(platformRun.again.cpuMsPerConnect),
    m && ms(m.again.cpuMsPerConnect),
  ),
  row(
    `  CPU per connect, first ${fmt(probe)} / last ${fmt(probe)}`,
    `${ms(platformRun.again.cpuMsFirst)} / ${ms(platformRun.again.cpuMsLast)}`,
    m && `${ms(m.again.cpuMsFirst)} / ${ms(m.again.cpuMsLast)}`,
  ),
  row(
    `resident memory, ${fmt(devices)} held`,
    `${fmt(platformRun.residentMb)} MB`,
    m && `${fmt(m.residentMb)} MB`,
  ),
  row(
    'load generator CPU per connect',
    ms(platformRun.again.clientCpuMsPerConnect),
    m && ms(m.again.clientCpuMsPerConnect),
  ),
  row(
    'failed connects (first, again)',
    `${platformRun.first.failed}, ${platformRun.again.failed}`,
    m && `${m.first.failed}, ${m.again.failed}`,
  ),
  row('Node TLS floor: reconnects per second', bareRun ? rate(bareRun.again) : 'not measured'),
  row('Node TLS floor: CPU per connect', bareRun ? ms(bareRun.again.cpuMsPerConnect) : ''),
  row(`ECDSA P-256 verify ceiling, ${cores} cores`, `${fmt(ceiling)}/s`),
];
const w0 = Math.max(...rows.map((r) => r[0].length));
const w1 = Math.max(...rows.map((r) => r[1].length));
console.log(
  `\nFleet admission on Node ${process.version}, ${cores} cores, ${fmt(devices)} devices, platform with ${values.edges} edge processes, ${processes} × ${concurrency} handshakes in flight\n`,
);
for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`);
const growth = platformRun.again.cpuMsLast / platformRun.again.cpuMsFirst;
console.log(
  `\nConnect cost at ${fmt(devices - probe)} held vs ${fmt(0)}: ×${growth.toFixed(2)} (target within ×1.2).`,
);
if (m) {
  console.log(
    `Reconnects vs Mosquitto: ${((platformRun.again.rate / m.again.rate) * 100).toFixed(0)} % (target ≥ 100 %); first-time: ${((platformRun.first.rate / m.first.rate) * 100).toFixed(0)} % (target ≥ 50 %).`,
  );
}
const summary = (s: Storm) => ({
  per_s: Math.round(s.rate),
  p50_ms: Number(s.p50.toFixed(1)),
  p99_ms: Number(s.p99.toFixed(1)),
  cpu_ms_per_connect: Number(s.cpuMsPerConnect.toFixed(2)),
  cpu_ms_first: Number(s.cpuMsFirst.toFixed(2)),
  cpu_ms_last: Number(s.cpuMsLast.toFixed(2)),
  failed: s.failed,
});
console.log(
  JSON.stringify({
    bench: 'fleet',
    node: process.version,
    cores,
    devices,
    edges: Number(values.edges),
    clients: processes,
    concurrency,
    verify_ceiling_per_s: Math.round(ceiling),
    ...(bareRun ? { node_tls_floor: { again: summary(bareRun.again) } } : {}),
    platform: {
      first: summary(platformRun.first),
      again: summary(platformRun.again),
      resident_mb: Math.round(platformRun.residentMb),
      telemetry: platformRun.telemetry,
    },
    ...(m
      ? {
          mosquitto: {
            first: summary(m.first),
            again: summary(m.again),
            resident_mb: Math.round(m.residentMb),
            telemetry: m.telemetry,
          },
        }
      : {}),
  }),
);
