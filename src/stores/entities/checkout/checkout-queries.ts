import type { SessionLine } from '../../../contract/index.js';
import type { SqlExecutor } from '../sql/sql-client.js';
import { toIso, toIsoOrNull, toNumber, toNumberOrNull, toStringOrNull } from '../sql/values.js';
import type {
  CheckoutOutcome,
  CheckoutRecord,
  CheckoutWorkQuery,
  StoredSessionEnd,
  WeightMismatchScan,
} from './checkout-types.js';

const COLUMNS = `session_id, device_id, store_id, counter, outcome, paid_cents, payment_ref,
  receipt_id, reason, reconciled_at, attempts, retry_at`;

export async function getCheckout(
  db: SqlExecutor,
  key: { readonly sessionId: string } | { readonly receiptId: string },
): Promise<CheckoutRecord | undefined> {
  const [row] =
    'sessionId' in key
      ? await db.query(`SELECT ${COLUMNS} FROM checkouts WHERE session_id = $1`, [key.sessionId])
      : await db.query(`SELECT ${COLUMNS} FROM checkouts WHERE receipt_id = $1`, [key.receiptId]);
  return row === undefined ? undefined : toCheckoutRecord(row);
}

// A final outcome is never overwritten: the update applies only over payment-unavailable, so two
// reconciliations racing on one session (the device's POST and the projector) keep the first.
const RECORD_SQL = `
INSERT INTO checkouts AS c (session_id, device_id, store_id, counter, outcome, paid_cents,
  payment_ref, receipt_id, reason, reconciled_at, retry_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
ON CONFLICT (session_id) DO UPDATE SET device_id = EXCLUDED.device_id,
  store_id = EXCLUDED.store_id, counter = EXCLUDED.counter, outcome = EXCLUDED.outcome,
  paid_cents = EXCLUDED.paid_cents, payment_ref = EXCLUDED.payment_ref,
  receipt_id = EXCLUDED.receipt_id, reason = EXCLUDED.reason,
  reconciled_at = EXCLUDED.reconciled_at, attempts = c.attempts + 1, retry_at = EXCLUDED.retry_at
WHERE c.outcome = 'payment-unavailable'
RETURNING ${COLUMNS}`;

export async function recordCheckout(
  db: SqlExecutor,
  record: Omit<CheckoutRecord, 'attempts'>,
): Promise<CheckoutRecord> {
  const [row] = await db.query(RECORD_SQL, [
    record.sessionId,
    record.deviceId,
    record.storeId,
    record.counter,
    record.outcome,
    record.paidCents,
    record.paymentRef,
    record.receiptId,
    record.reason,
    record.reconciledAt,
    record.retryAt,
  ]);
  if (row) return toCheckoutRecord(row);
  const stored = await getCheckout(db, { sessionId: record.sessionId });
  if (!stored) throw new Error(`checkout of ${record.sessionId} neither written nor found`);
  return stored;
}

// Two kinds of work, each through its own partial index: payment-unavailable checkouts whose
// retry time has come, and complete sessions that ended without ever being reconciled.
const WORK_SQL = `
(SELECT session_id FROM checkouts WHERE retry_at IS NOT NULL AND retry_at <= $1
 ORDER BY retry_at LIMIT $4)
UNION ALL
(SELECT s.session_id FROM sessions s
 WHERE s.status = 'complete' AND s.ended_at >= $2 AND s.ended_at < $3
   AND NOT EXISTS (SELECT 1 FROM checkouts c WHERE c.session_id = s.session_id)
 ORDER BY s.ended_at LIMIT $4)`;

export async function listCheckoutWork(
  db: SqlExecutor,
  query: CheckoutWorkQuery,
): Promise<string[]> {
  const iso = (ms: number) => new Date(ms).toISOString();
  const rows = await db.query(WORK_SQL, [
    iso(query.due),
    iso(query.endedAfter),
    iso(query.endedBefore),
    query.limit,
  ]);
  return [...new Set(rows.map((r) => String(r['session_id'])))].slice(0, query.limit);
}

const SESSION_END_SQL = `
SELECT s.session_id, s.device_id, s.store_id, s.status_counter, s.status, s.account_id,
  s.ended_at, s.item_count, s.total_cents, s.currency, s.contents, s.weight_mismatches,
  p.method AS payment_method, p.status AS payment_status, p.amount_cents, p.auth_reference
FROM sessions s LEFT JOIN payments p ON p.session_id = s.session_id
WHERE s.session_id = $1 AND s.ended_at IS NOT NULL AND s.status_counter IS NOT NULL
  AND s.status IN ('complete', 'abandoned', 'voided', 'transferred')`;

export async function getSessionEnd(
  db: SqlExecutor,
  sessionId: string,
): Promise<StoredSessionEnd | undefined> {
  const [row] = await db.query(SESSION_END_SQL, [sessionId]);
  if (!row) return undefined;
  const contents = row['contents'];
  const paid = row['payment_status'] !== null;
  return {
    sessionId: String(row['session_id']),
    deviceId: String(row['device_id']),
    storeId: String(row['store_id']),
    counter: toNumber(row['status_counter']),
    status: row['status'] as StoredSessionEnd['status'],
    accountId: toStringOrNull(row['account_id']),
    endedAt: toIso(row['ended_at']),
    itemCount: toNumber(row['item_count']),
    totalCents: toNumber(row['total_cents']),
    currency: String(row['currency']),
    contents: ((typeof contents === 'string' ? JSON.parse(contents) : contents) ??
      []) as SessionLine[],
    weightMismatches: toNumber(row['weight_mismatches']),
    // No payment row: the session-end said the payment was not attempted.
    payment: paid
      ? {
          method: row['payment_method'] as StoredSessionEnd['payment']['method'],
          status: row['payment_status'] as 'authorized' | 'declined' | 'deferred',
          amountCents: toNumber(row['amount_cents']),
          authToken: toStringOrNull(row['auth_reference']),
        }
      : { method: 'none', status: 'not-attempted', amountCents: 0, authToken: null },
  };
}

const WEIGHT_MISMATCHES_SQL = `
SELECT device_id, counter, scan_seq, action, barcode, sku, quantity, weight_delta_g,
  expected_weight_g, scanned_at
FROM scans WHERE session_id = $1 AND weight_check = 'mismatch'
ORDER BY scan_seq, device_id, counter`;

export async function listSessionWeightMismatches(
  db: SqlExecutor,
  sessionId: string,
): Promise<WeightMismatchScan[]> {
  const rows = await db.query(WEIGHT_MISMATCHES_SQL, [sessionId]);
  return rows.map((row) => ({
    deviceId: String(row['device_id']),
    counter: toNumber(row['counter']),
    scanSeq: toNumber(row['scan_seq']),
    action: row['action'] as WeightMismatchScan['action'],
    barcode: String(row['barcode']),
    sku: toStringOrNull(row['sku']),
    quantity: toNumber(row['quantity']),
    weightDeltaG: toNumber(row['weight_delta_g']),
    expectedWeightG: toNumberOrNull(row['expected_weight_g']),
    scannedAt: toIso(row['scanned_at']),
  }));
}

function toCheckoutRecord(row: Record<string, unknown>): CheckoutRecord {
  return {
    sessionId: String(row['session_id']),
    deviceId: String(row['device_id']),
    storeId: String(row['store_id']),
    counter: toNumber(row['counter']),
    outcome: row['outcome'] as CheckoutOutcome,
    paidCents: toNumberOrNull(row['paid_cents']),
    paymentRef: toStringOrNull(row['payment_ref']),
    receiptId: toStringOrNull(row['receipt_id']),
    reason: toStringOrNull(row['reason']),
    reconciledAt: toIso(row['reconciled_at']),
    attempts: toNumber(row['attempts']),
    retryAt: toIsoOrNull(row['retry_at']),
  };
}
