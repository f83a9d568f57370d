// `fleetplane export parquet` on a telemetry store of BENCH_ROWS events (default 100,000): 80 %
// cart health (written as stored), 20 % tool reports (masked with the export rubric: HMAC serial,
// tokenised job site, gridded location, hour-truncated times). Fills a SQLite store through the
// port, then runs the CLI command as an operator would, then a second run with nothing new, and
// one DuckDB query over the result. Reports rows/s and one JSON line.
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyticsCommands } from '../src/cli/analytics/index.js';
import { identityCommands } from '../src/cli/identity/index.js';
import { main } from '../src/cli/main.js';
import { platformLayout } from '../src/platform/platform-layout.js';
import { SqliteTelemetryStore } from '../src/stores/telemetry/sqlite-telemetry-store.js';
import type { TelemetryRecord } from '../src/stores/telemetry/telemetry-store.js';
import { fmt } from './measure.js';

const total = Number(process.env['BENCH_ROWS'] ?? 100_000);
const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const io = {
  out: (l: string) => console.log(l),
  err: (l: string) => process.stderr.write(`${l}\n`),
};

console.log(
  `fleetplane export benchmark — Node ${process.version}, ${availableParallelism()} cores, ${fmt(total)} events`,
);
const dir = await mkdtemp(join(tmpdir(), 'fleetplane-bench-export-'));
try {
  // A data directory as `fleetplane start` leaves it: the CLI refuses any other.
  await main(['ca', 'init', '--data', dir], io, identityCommands());
  const store = new SqliteTelemetryStore(platformLayout(dir).telemetryDb);
  const start = Date.parse('2026-11-01T00:00:00Z');
  const batch: TelemetryRecord[] = [];
  for (let i = 0; i < total; i++) {
    const tool = i % 5 === 0;
    const deviceId = tool ? `TOOL-${String(i % 200).padStart(4, '0')}` : `CART-${i % 500}`;
    const deviceTime = start + Math.floor((i / total) * 7 * 86_400_000);
    const ts = new Date(deviceTime).toISOString();
    const body = tool
      ? {
          type: 'tool-telemetry',
          device_id: deviceId,
          counter: i,
          ts,
          mode: 'drill',
          torque_nm: 12.5,
          rpm: 1800,
          usage_minutes: 3,
          battery_pct: 71,
          motor_temp_c: 44,
          job_site_id: `SITE-${i % 40}`,
          location: { lat: 53.5 + (i % 97) / 1000, lon: 9.9, accuracy_m: 5, source: 'gnss' },
        }
      : {
          type: 'health',
          device_id: deviceId,
          counter: i,
          ts,
          battery_pct: 80,
          rssi_dbm: -61,
          temp_c: 21.5,
          uptime_s: i,
        };
    batch.push({
      deviceId,
      storeId: `store-${i % 4}`,
      deviceClass: tool ? 'tool' : 'cart',
      type: tool ? 'tool-telemetry' : 'health',
      counter: i,
      deviceTime,
      receivedAt: deviceTime + 300,
      body: JSON.stringify(body),
      signature: new Uint8Array(64),
    });
    if (batch.length === 5000) await store.append(batch.splice(0));
  }
  await store.append(batch.splice(0));
  await store.close();

  const out = join(dir, 'exports');
  const commands = analyticsCommands();
  const run = () => main(['export', 'parquet', '--data', dir, '--out', out], io, commands);
  let t0 = process.hrtime.bigint();
  // CPU time as well as wall time: on a shared machine the wall clock measures the neighbours.
  const cpu0 = process.cpuUsage();
  if ((await run()) !== 0) process.exit(1);
  const exportSeconds = seconds(t0);
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  t0 = process.hrtime.bigint();
  await run();
  const rerunSeconds = seconds(t0);
  const files = (await readdir(out, { recursive: true })).filter((f) => f.endsWith('.parquet'));
  let bytes = 0;
  for (const f of files) bytes += (await stat(join(out, f))).size;
  t0 = process.hrtime.bigint();
  await main(
    [
      'analytics',
      'sql',
      '--dir',
      out,
      'SELECT store, count(*) FROM telemetry GROUP BY ALL ORDER BY ALL',
    ],
    io,
    commands,
  );
  const querySeconds = seconds(t0);
  const rate = Math.round(total / exportSeconds);
  console.log(
    `export ${fmt(total)} rows: ${exportSeconds.toFixed(2)} s, ${fmt(rate)} rows/s (${cpuSeconds.toFixed(2)} CPU s, ${fmt(Math.round(total / cpuSeconds))} rows per CPU second); ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB; re-run with nothing new ${rerunSeconds.toFixed(2)} s; one GROUP BY ${querySeconds.toFixed(2)} s`,
  );
  console.log(
    JSON.stringify({
      bench: 'export',
      rows: total,
      exportSeconds,
      rowsPerSecond: rate,
      cpuSeconds,
      files: files.length,
      bytes,
      rerunSeconds,
      querySeconds,
    }),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
