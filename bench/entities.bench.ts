// Entity projection throughput: batches of mixed cart events (mostly scans and health reports,
// with the session starts, identifies and ends around them) from many carts of one store, applied
// through EntityStore.project on PGlite (on disk) and on the PostgreSQL server when reachable.
// Also the cost of re-applying a batch already applied (a replay after a crash). Ends with one
// JSON line. BENCH_BATCHES, BENCH_BATCH, BENCH_CARTS and FLEETPLANE_TEST_POSTGRES_URL tune it.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { EntityStore, IngestedEvent } from '../src/stores/entities/index.js';
import { openEntityStore } from '../src/stores/entities/index.js';
import { TestDevice } from '../test-support/entity-events.js';
import { fmt } from './measure.js';

const BATCHES = Number(process.env['BENCH_BATCHES'] ?? 60);
const BATCH = Number(process.env['BENCH_BATCH'] ?? 500);
const CARTS = Number(process.env['BENCH_CARTS'] ?? 1000);
const WARMUP = 5;
const POSTGRES_URL =
  process.env['FLEETPLANE_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** One cart's endless life: trips of 30-80 scans with a health report every ~6 events. */
function* cartLife(cart: TestDevice): Generator<IngestedEvent> {
  for (;;) {
    const session_id = randomUUID();
    yield cart.event('session-start', { session_id });
    if (Math.random() < 0.4) yield cart.event('identify', { session_id });
    const scans = 30 + Math.floor(Math.random() * 51);
    for (let seq = 1; seq <= scans; seq++) {
      yield cart.event('scan', {
        session_id,
        scan_seq: seq,
        sku: `SKU-${Math.floor(Math.random() * 2000)}`,
        price_cents: 50 + Math.floor(Math.random() * 900),
      });
      if (seq % 5 === 0) {
        yield cart.event('health', { session_id, state: 'active', battery_pct: 50 + (seq % 40) });
      }
    }
    yield cart.event('session-end', { session_id });
    yield cart.event('health', { state: 'idle', battery_pct: 60 });
  }
}

function batches(): IngestedEvent[][] {
  const lives = Array.from({ length: CARTS }, (_, i) =>
    cartLife(new TestDevice(`CART-${String(i).padStart(5, '0')}`, 'bench-store')),
  );
  return Array.from({ length: WARMUP + BATCHES }, () =>
    Array.from({ length: BATCH }, () => lives[Math.floor(Math.random() * CARTS)]!.next().value!),
  );
}

interface Figures {
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  replayEventsPerSecond: number;
}

async function measure(store: EntityStore, work: IngestedEvent[][]): Promise<Figures> {
  for (const batch of work.slice(0, WARMUP)) await store.project(batch);
  const timed = work.slice(WARMUP);
  const times: number[] = [];
  const start = performance.now();
  for (const batch of timed) {
    const t0 = performance.now();
    await store.project(batch);
    times.push(performance.now() - t0);
  }
  const elapsed = performance.now() - start;
  const replayStart = performance.now();
  for (const batch of timed.slice(0, 10)) await store.project(batch);
  const replay = performance.now() - replayStart;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return {
    eventsPerSecond: (timed.length * BATCH) / (elapsed / 1000),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    replayEventsPerSecond: (Math.min(10, timed.length) * BATCH) / (replay / 1000),
  };
}

function report(engine: string, f: Figures): void {
  console.log(
    `${engine.padEnd(10)} ${fmt(f.eventsPerSecond).padStart(7)} events/s  ` +
      `batch p50 ${f.p50Ms.toFixed(1)} ms, p99 ${f.p99Ms.toFixed(1)} ms  ` +
      `re-applied batches ${fmt(f.replayEventsPerSecond)} events/s`,
  );
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

console.log(
  `fleetplane entity projection — Node ${process.version}, ${BATCHES} batches of ${BATCH} events from ${CARTS} carts`,
);
const work = batches();
const counts: Record<string, number> = {};
for (const e of work.flat()) counts[e.type] = (counts[e.type] ?? 0) + 1;
console.log(
  `mix: ${Object.entries(counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}`,
);
const results: Record<string, Figures> = {};

const dir = await mkdtemp(join(tmpdir(), 'fleetplane-bench-entities-'));
try {
  const store = await openEntityStore({ dataDir: dir });
  try {
    results['pglite'] = await measure(store, work);
    report('PGlite', results['pglite']);
  } finally {
    await store.close();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}

if (await postgresReachable()) {
  const schema = `fp_bench_${randomBytes(4).toString('hex')}`;
  const store = await openEntityStore({ dataDir: dir, url: POSTGRES_URL, schema });
  try {
    results['postgres'] = await measure(store, work);
    report('Postgres', results['postgres']);
  } finally {
    await store.close();
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`DROP SCHEMA ${schema} CASCADE`);
    await client.end();
  }
} else {
  console.log(`Postgres   not reachable at ${POSTGRES_URL}; skipped`);
}
console.log(JSON.stringify({ bench: 'entities', node: process.version, batch: BATCH, results }));
