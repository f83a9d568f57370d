// Retention's telemetry step on BENCH_ROWS events (default 500,000) of cart health, 500 carts over
// 30 days: how fast the SQLite store folds events into daily aggregates and deletes them, how long
// the daily check takes when nothing is due (it reads the table), and the same fold on DynamoDB
// (dynalite in-process, BENCH_DYNAMO_ROWS, default 5,000). Beside the SQLite fold, on copies of
// the same file: the floor (a bare DELETE of the same rows, no fold: no fold that deletes them can
// be faster) and the peer (the same fold written as SQL inside SQLite, json_tree and GROUP BY in
// one transaction, as a DBA would; its aggregates are checked equal to ours). Prints one JSON line
// at the end.
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
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

const FOLD_BEFORE = start + 31 * DAY;

/**
 * The same fold as SQL: every finite number in a body by its dotted path (json_tree quotes a key
 * with an underscore, `$."battery_pct"`; the quotes go), and the day's count.
 */
const PEER_FOLD = `
  INSERT INTO daily_aggregates (device_id, day, type, field, store_id, device_class, n, min, max, sum)
  SELECT e.device_id, date(e.device_time / 1000, 'unixepoch'), e.type, replace(substr(j.fullkey, 3), '"', ''),
         e.store_id, e.device_class, count(*), min(j.value), max(j.value), sum(j.value)
    FROM events e, json_tree(e.body) j
   WHERE e.device_time < @before AND j.type IN ('integer', 'real')
     AND NOT (j.path = '$' AND j.key IN ('counter', 'schema_version'))
   GROUP BY 1, 2, 3, 4
  UNION ALL
  SELECT device_id, date(device_time / 1000, 'unixepoch'), type, '#events',
         store_id, device_class, count(*), NULL, NULL, NULL
    FROM events WHERE device_time < @before GROUP BY 1, 2, 3`;

/** Runs `work` on a copy of the SQLite file (VACUUM INTO) and times it; the copy goes after. */
function onCopy<T>(file: string, name: string, work: (db: Database.Database) => T) {
  const copy = join(dirname(file), name);
  const source = new Database(file, { readonly: true });
  source.exec(`VACUUM INTO '${copy}'`);
  source.close();
  const db = new Database(copy);
  db.pragma('journal_mode = WAL');
  try {
    const t0 = process.hrtime.bigint();
    const out = db.transaction(() => work(db))();
    return { s: seconds(t0), out };
  } finally {
    db.close();
  }
}

/** Rows, total count and total sum of an aggregates table: equal for equal folds. */
const AGGREGATE_CHECK =
  'SELECT count(*) AS rows, sum(n) AS n, sum(sum) AS total FROM daily_aggregates';
type AggregateCheck = { rows: number; n: number; total: number };

/** Counts exactly; the sums to float precision, as the two add in different orders. */
function sameFold(a: unknown, b: unknown): boolean {
  const x = a as AggregateCheck;
  const y = b as AggregateCheck;
  return (
    x.rows === y.rows && x.n === y.n && Math.abs(x.total - y.total) <= 1e-9 * Math.abs(x.total)
  );
}

async function fold(store: TelemetryStore, n: number) {
  const t0 = process.hrtime.bigint();
  const out = await store.foldBefore(FOLD_BEFORE);
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
  const file = join(dir, 'telemetry.sqlite');
  const floor = onCopy(file, 'floor.sqlite', (db) => {
    const deleted = db.prepare('DELETE FROM events WHERE device_time < ?').run(FOLD_BEFORE).changes;
    if (deleted !== total) throw new Error(`the floor deleted ${deleted} of ${total}`);
  });
  let peerAggregates: unknown;
  const peer = onCopy(file, 'peer.sqlite', (db) => {
    db.prepare(PEER_FOLD).run({ before: FOLD_BEFORE });
    const deleted = db.prepare('DELETE FROM events WHERE device_time < ?').run(FOLD_BEFORE).changes;
    if (deleted !== total) throw new Error(`the peer deleted ${deleted} of ${total}`);
    peerAggregates = db.prepare(AGGREGATE_CHECK).get();
  });
  const sqliteFold = await fold(sqlite, total);
  await sqlite.close();
  const ours = new Database(file, { readonly: true });
  const ourAggregates = ours.prepare(AGGREGATE_CHECK).get();
  ours.close();
  if (!sameFold(ourAggregates, peerAggregates)) {
    throw new Error(
      `the peer's fold differs: ours ${JSON.stringify(ourAggregates)}, peer ${JSON.stringify(peerAggregates)}`,
    );
  }
  const floorPerS = total / floor.s;
  const peerPerS = total / peer.s;
  console.log(
    `SQLite: plan over ${fmt(total)} events ${planS.toFixed(2)} s; fold and delete ${sqliteFold.s.toFixed(1)} s ` +
      `(${fmt(Math.round(sqliteFold.perSecond))} events/s); a run with nothing due (the table read) ${(idleS * 1000).toFixed(0)} ms`,
  );
  console.log(
    `  floor, a bare DELETE of the same rows (no fold): ${fmt(Math.round(floorPerS))} events/s; ` +
      `ours is ${((sqliteFold.perSecond / floorPerS) * 100).toFixed(0)} % of it`,
  );
  console.log(
    `  peer, the same fold as SQL in SQLite (json_tree, GROUP BY, one transaction): ${fmt(Math.round(peerPerS))} events/s; ` +
      `ours is ${(sqliteFold.perSecond / peerPerS).toFixed(2)}× it (aggregates equal: ${JSON.stringify(ourAggregates)})`,
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
      sqliteDeleteFloorPerS: Math.round(floorPerS),
      sqlitePeerSqlFoldPerS: Math.round(peerPerS),
      sqliteIdleMs: Math.round(idleS * 1000),
      dynamoRows: dynamoTotal,
      dynamoFoldPerS: Math.round(dynamoFold.perSecond),
    }),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
