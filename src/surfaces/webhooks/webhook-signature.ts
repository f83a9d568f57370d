import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header a delivery carries: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const SIGNATURE_HEADER = 'Fleetplane-Signature';
/** How far a signature's timestamp may be from the receiver's clock by default (5 minutes). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Why a signature was refused: one closed set, so receivers can log and count by reason. */
export type SignatureRefusal = 'malformed' | 'mismatch' | 'stale';

export type SignatureCheck =
  | { readonly ok: true; readonly timestamp: number }
  | { readonly ok: false; readonly reason: SignatureRefusal };

function mac(secret: string, body: string | Buffer, timestampSeconds: number): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest('hex');
}

/**
 * The `Fleetplane-Signature` value for `body` sent at `timestampSeconds` (Stripe's scheme). The
 * timestamp is inside the MAC, so a captured delivery cannot be replayed later with a new time.
 */
export function signWebhook(
  secret: string,
  body: string | Buffer,
  timestampSeconds: number,
): string {
  const t = Math.floor(timestampSeconds);
  return `t=${t},v1=${mac(secret, body, t)}`;
}

/**
 * What a receiver runs on the raw body it was sent (before any JSON parsing: a re-serialised body
 * would not match). Any `v1` in the header may match (a sender rotating secrets may send two); the
 * comparison is constant-time; a timestamp more than `toleranceSeconds` from `nowSeconds` either
 * way is refused as stale.
 */
export function verifyWebhook(
  secret: string,
  body: string | Buffer,
  header: string | undefined,
  nowSeconds: number,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): SignatureCheck {
  if (header === undefined) return { ok: false, reason: 'malformed' };
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value))
      signatures.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === undefined || signatures.length === 0) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(mac(secret, body, timestamp), 'hex');
  // Every candidate is compared (no early exit), so timing tells nothing about which one matched.
  let matched = false;
  for (const candidate of signatures) matched = timingSafeEqual(candidate, expected) || matched;
  if (!matched) return { ok: false, reason: 'mismatch' };
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return { ok: false, reason: 'stale' };
  return { ok: true, timestamp };
}
