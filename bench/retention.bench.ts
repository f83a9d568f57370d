// Retention's telemetry step on BENCH_ROWS events (default 500,000) of cart health, 500 carts over
// 30 days: how fast the SQLite store folds events into daily aggregates and deletes them, how long
// the daily check takes when nothing is due (it reads the table), and the same fold on DynamoDB
// (dynalite in-process, BENCH_DYNAMO_ROWS, default 5,000). Prints one JSON line at the end.
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { useLocalAwsCredentials } from '../test-support/local-aws.js';
import { DynamoDbTelemetryStore } from '../src/stores/telemetry/dynamodb/dynamodb-telemetry-store.js';
import { SqliteTelemetryStore } from '../src/stores/telemetry/sqlite-telemetry-store.js';
import type { TelemetryRecord, TelemetryStore } from '../src/stores/telemetry/telemetry-store.js';
import { fmt } from './measure.js';

const total = Number(process.env['BENCH_ROWS'] ?? 500_000);
const dynamoTotal = Number(process.env['BENCH_DYNAMO_ROWS'] ?? 5_000);
const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const start = Date.parse('2025-01-01T00:00:00Z');
const DAY = 86_400_000;

function health(i: number, n: number): TelemetryRecord {
  const deviceId = `CART-${String(i % 500).padStart(4, '0')}`;
  const deviceTime = start + Math.floor((i / n) * 30 * DAY);
  const body = JSON.stringify({
    schema_version: 1,
    device_id: deviceId,
    type: 'health',
    counter: i + 1,
    ts: new Date(deviceTime).toISOString(),
    state: 'active',
    battery_pct: 20 + (i % 80),
    battery_mv: 7000 + (i % 900),
    rssi_dbm: -40 - (i % 50),
    scanner_temp_c: 25 + (i % 10),
    location: { lat: 52.52, lon: 13.405, accuracy_m: 8 },
  });
  return {
    ...{ deviceId, storeId: 'store-1', deviceClass: 'cart', type: 'health', counter: i + 1 },
    ...{ deviceTime, receivedAt: deviceTime + 40, body, signature: new Uint8Array(64) },
  };
}

async function fill(store: TelemetryStore, n: number): Promise<void> {
  for (let i = 0; i < n; i += 5_000) {
    await store.append(Array.from({ length: Math.min(5_000, n - i) }, (_, j) => health(i + j, n)));
  }
}

async function fold(store: TelemetryStore, n: number) {
  const t0 = process.hrtime.bigint();
  const out = await store.foldBefore(start + 31 * DAY);
  const s = seconds(t0);
  if (out.folded !== n) throw new Error(`folded ${out.folded} of ${n}`);
  return { s, perSecond: n / s };
}

console.log(
  `fleetplane retention benchmark — Node ${process.version}, ${availableParallelism()} cores`,
);
const dir = await mkdtemp(join(tmpdir(), 'fleetplane-bench-retention-'));
try {
  const sqlite = new SqliteTelemetryStore(join(dir, 'telemetry.sqlite'));
  await fill(sqlite, total);
  let t0 = process.hrtime.bigint();
  await sqlite.retentionDue(start + 31 * DAY, start);
  const planS = seconds(t0);
  // The steady state: every day's run, nothing due yet, still reads the table once.
  t0 = process.hrtime.bigint();
  if ((await sqlite.foldBefore(start)).folded !== 0) throw new Error('folded what was not due');
  const idleS = seconds(t0);
  const sqliteFold = await fold(sqlite, total);
  await sqlite.close();
  console.log(
    `SQLite: plan over ${fmt(total)} events ${planS.toFixed(2)} s; fold and delete ${sqliteFold.s.toFixed(1)} s ` +
      `(${fmt(Math.round(sqliteFold.perSecond))} events/s); a run with nothing due (the table read) ${(idleS * 1000).toFixed(0)} ms`,
  );

  useLocalAwsCredentials();
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const dynamo = await DynamoDbTelemetryStore.open({ endpoint, table: 'telemetry' });
  await fill(dynamo, dynamoTotal);
  const dynamoFold = await fold(dynamo, dynamoTotal);
  await dynamo.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  console.log(
    `DynamoDB (dynalite): fold and delete ${fmt(dynamoTotal)} events ${dynamoFold.s.toFixed(1)} s ` +
      `(${fmt(Math.round(dynamoFold.perSecond))} events/s)`,
  );
  console.log(
    JSON.stringify({
      rows: total,
      sqlitePlanS: planS,
      sqliteFoldPerS: Math.round(sqliteFold.perSecond),
      sqliteIdleMs: Math.round(idleS * 1000),
      dynamoRows: dynamoTotal,
      dynamoFoldPerS: Math.round(dynamoFold.perSecond),
    }),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
