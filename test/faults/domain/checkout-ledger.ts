// What the sigkill-checkout scenario holds the platform to, from outside: the paid session-ends
// the carts made (the terminal authorised them, so the customer has paid), and what the payment
// service captured for each, read from its own database. Also the store's catalog the carts
// price their baskets with: without one every basket totals 0 and nothing can be captured.
import type { Statement } from 'better-sqlite3';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { entityCommands } from '../../../src/cli/entities/index.js';
import { main } from '../../../src/cli/main.js';
import { shelfCsv, storeShelf } from '../../../src/cli/sim/sim-catalog.js';
import type { DeviceMessage } from '../../../src/contract/index.js';
import { paymentLayout } from '../../../src/payment/payment-layout.js';
import { PaymentStore } from '../../../src/payment/payment-store.js';
import { platformLayout } from '../../../src/platform/platform-layout.js';
import { SqliteDatabase } from '../../../src/stores/data-dir/sqlite-driver.js';
import { openEntityStore } from '../../../src/stores/entities/open-entity-store.js';
import type { FleetWatch } from '../engines/cart-watch.js';

export type SessionEnd = Extract<DeviceMessage, { type: 'session-end' }>;

/**
 * Imports the simulated shelf as the store's catalog (`fleetplane catalog import`, the platform
 * not yet running), so the carts that fetch it from the device API price what they scan.
 */
export async function importShelfCatalog(data: string, storeId: string): Promise<void> {
  const file = join(data, '..', 'catalog.csv');
  await writeFile(file, shelfCsv(storeShelf(storeId)));
  const lines: string[] = [];
  const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
  const argv = ['catalog', 'import', '--data', data, '--store', storeId, '--file', file];
  const code = await main(argv, io, entityCommands());
  if (code !== 0) throw new Error(`catalog import failed (${code}):\n${lines.join('\n')}`);
}

/** The platform child's JSON log lines across its restarts (other lines left out). */
export async function logLines(logFile: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(logFile, 'utf8');
  return text.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/** The session-ends the carts made with a terminal authorisation: each must be captured once. */
export function paidSessionEnds(watch: FleetWatch): SessionEnd[] {
  const ends: SessionEnd[] = [];
  for (const cart of watch.carts.values()) {
    for (const message of cart.created.values()) {
      if (message.type === 'session-end' && message.payment.status === 'authorized') {
        ends.push(message);
      }
    }
  }
  return ends;
}

export interface CaptureTally {
  /** Paid sessions the payment service captured at least once. */
  readonly captured: number;
  /** Paid sessions with no capture. */
  readonly missing: readonly SessionEnd[];
  /** Captures beyond the first, over all sessions (the service's key should make this 0). */
  readonly extraCaptures: number;
  /** Paid sessions the service answered with something else than a capture (declined, mismatch). */
  readonly notCaptured: readonly string[];
}

/** The payment service's database, opened beside the running service (WAL allows it). */
export function paymentRecords(data: string): PaymentStore {
  return new PaymentStore(paymentLayout(data).db);
}

export type KillStage = 'before the store' | 'stored, not captured' | 'captured';

const STORED_SQL = 'SELECT 1 FROM events WHERE device_id = ? AND counter = ?';

/**
 * Waits (up to `timeoutMs`, polling every 5 ms) until the checkout of `end` has got at least to
 * `stage`: made, its session-end in the telemetry store, or its payment captured. Read beside
 * the running platform (the telemetry store is in WAL mode) and the payment service.
 */
export async function reachedStage(
  data: string,
  payments: PaymentStore,
  end: SessionEnd,
  stage: KillStage,
  timeoutMs = 10_000,
): Promise<void> {
  if (stage === 'before the store') return;
  const telemetry = new SqliteDatabase(platformLayout(data).telemetryDb, { readonly: true });
  try {
    const find = telemetry.prepare(STORED_SQL);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const now = stageOf(find, payments, end);
      if (now === stage || now === 'captured') return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    telemetry.close();
  }
}

/**
 * How far the checkout that a kill landed on had got, read once the platform is dead: its
 * session-end in the telemetry store or not, its payment captured or not.
 */
export function killStage(data: string, payments: PaymentStore, end: SessionEnd): KillStage {
  const telemetry = new SqliteDatabase(platformLayout(data).telemetryDb, { readonly: true });
  try {
    return stageOf(telemetry.prepare(STORED_SQL), payments, end);
  } finally {
    telemetry.close();
  }
}

function stageOf(stored: Statement, payments: PaymentStore, end: SessionEnd): KillStage {
  if (payments.attempts(end.session_id).some((a) => a.status === 'captured')) return 'captured';
  const row: unknown = stored.get(end.device_id, end.counter);
  return row === undefined ? 'before the store' : 'stored, not captured';
}

/** Paid session-ends the telemetry store does not hold (read after the platform stopped). */
export function unstored(data: string, paid: readonly SessionEnd[]): SessionEnd[] {
  const db = new SqliteDatabase(platformLayout(data).telemetryDb, { readonly: true });
  try {
    const find = db.prepare(STORED_SQL);
    return paid.filter((end) => find.get(end.device_id, end.counter) === undefined);
  } finally {
    db.close();
  }
}

/** Reads the payment service's captures for the paid sessions. */
export function tallyCaptures(payments: PaymentStore, paid: readonly SessionEnd[]): CaptureTally {
  let captured = 0;
  let extraCaptures = 0;
  const missing: SessionEnd[] = [];
  const notCaptured: string[] = [];
  for (const end of paid) {
    const attempts = payments.attempts(end.session_id);
    const n = attempts.filter((a) => a.status === 'captured').length;
    if (n === 0) missing.push(end);
    else captured++;
    extraCaptures += Math.max(0, n - 1);
    const other = attempts.find((a) => a.status !== 'captured');
    if (other) notCaptured.push(`${end.session_id} ${other.status}`);
  }
  return { captured, missing, extraCaptures, notCaptured };
}

/**
 * What the platform recorded for sessions the payment service never captured, read from the
 * entity store once the platform has stopped: says where a missing capture stopped.
 */
export async function platformSideOf(data: string, ends: readonly SessionEnd[]): Promise<string[]> {
  if (ends.length === 0) return [];
  const store = await openEntityStore({ dataDir: data });
  try {
    const lines: string[] = [];
    for (const end of ends.slice(0, 5)) {
      const stored = await store.getSessionEnd(end.session_id);
      const checkout = await store.getCheckout({ sessionId: end.session_id });
      const state = !stored
        ? 'no session-end stored'
        : checkout
          ? `checkout ${checkout.outcome}${checkout.reason ? ` (${checkout.reason})` : ''}`
          : 'session-end stored, never reconciled';
      lines.push(`${end.device_id}#${end.counter} ${end.session_id}: ${state}`);
    }
    return lines;
  } finally {
    await store.close();
  }
}
