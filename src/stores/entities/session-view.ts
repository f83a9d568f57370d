import type { PaymentView, ScanView, SessionStatus, SessionView } from './entity-store.js';
import { toIso, toIsoOrNull, toNumber, toNumberOrNull, toStringOrNull } from './sql/values.js';

/** Sessions as SessionView rows; a query adds its WHERE (on `s`) and order. */
export const SESSION_VIEW_FROM = `
SELECT s.session_id, s.device_id, s.store_id, s.account_id, s.status, s.started_at, s.ended_at,
  s.scan_count, s.subtotal_cents, s.scan_mismatches, s.item_count, s.total_cents, s.currency,
  s.identify_method, p.method AS payment_method, p.status AS payment_status, p.amount_cents,
  p.currency AS payment_currency, p.auth_reference, p.decided_at, s.merged_into,
  (SELECT COALESCE(json_agg(m.session_id ORDER BY m.ended_at, m.session_id), '[]'::json)
     FROM sessions m WHERE m.merged_into = s.session_id) AS merged_from
FROM sessions s LEFT JOIN payments p ON p.session_id = s.session_id`;

export const SESSION_VIEW_SQL = `${SESSION_VIEW_FROM} WHERE s.session_id = $1`;

export function toSessionView(row: Record<string, unknown>): SessionView {
  return {
    sessionId: String(row['session_id']),
    deviceId: String(row['device_id']),
    storeId: String(row['store_id']),
    accountId: toStringOrNull(row['account_id']),
    status: row['status'] as SessionStatus,
    startedAt: toIso(row['started_at']),
    endedAt: toIsoOrNull(row['ended_at']),
    scanCount: toNumber(row['scan_count']),
    subtotalCents: toNumber(row['subtotal_cents']),
    scanMismatches: toNumber(row['scan_mismatches']),
    itemCount: toNumberOrNull(row['item_count']),
    totalCents: toNumberOrNull(row['total_cents']),
    currency: toStringOrNull(row['currency']),
    identifyMethod: (row['identify_method'] ?? null) as SessionView['identifyMethod'],
    payment: toPayment(row),
    mergedInto: toStringOrNull(row['merged_into']),
    mergedFrom: toJson<unknown[]>(row['merged_from']).map(String),
  };
}

/** json columns: PGlite and pg both parse them, but a driver setting could leave text. */
function toJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

function toPayment(row: Record<string, unknown>): PaymentView | null {
  if (row['payment_status'] === null) return null;
  return {
    method: row['payment_method'] as PaymentView['method'],
    status: row['payment_status'] as PaymentView['status'],
    amountCents: toNumber(row['amount_cents']),
    currency: String(row['payment_currency']),
    authReference: toStringOrNull(row['auth_reference']),
    decidedAt: toIso(row['decided_at']),
  };
}

export const SCAN_VIEW_SQL = `
SELECT device_id, counter, scan_seq, action, barcode, sku, quantity, price_cents, weight_check,
  scanned_at
FROM scans WHERE session_id = $1 ORDER BY scan_seq, device_id, counter`;

export function toScanView(row: Record<string, unknown>): ScanView {
  return {
    deviceId: String(row['device_id']),
    counter: toNumber(row['counter']),
    scanSeq: toNumber(row['scan_seq']),
    action: row['action'] as ScanView['action'],
    barcode: String(row['barcode']),
    sku: toStringOrNull(row['sku']),
    quantity: toNumber(row['quantity']),
    priceCents: toNumberOrNull(row['price_cents']),
    weightCheck: row['weight_check'] as ScanView['weightCheck'],
    scannedAt: toIso(row['scanned_at']),
  };
}
