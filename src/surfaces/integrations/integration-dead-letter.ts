import type { SinkResult } from './sink.js';

/**
 * The answers by which a webhook receiver refuses one event's content for good (decision 058):
 * malformed for it (400), too large (413), a media type it does not take (415), or content it
 * understood and will not accept (422). Every other failure says nothing about the event — a 5xx,
 * a timeout, a redirect, 401/403/404 (the integration's credentials or URL, which every event
 * would hit), 408/409/425/429 (ask again later) — and is retried without end as before.
 */
const CONTENT_REFUSALS = new Set([400, 413, 415, 422]);

/** Refusals of the same event in a row before it is parked: one odd answer parks nothing. */
export const DEAD_LETTER_AFTER = 3;

export function refusesContent(result: SinkResult): boolean {
  return !result.ok && result.status !== null && CONTENT_REFUSALS.has(result.status);
}

/** An event an integration parked: which one (the feed's seq), and the receiver's last answer. */
export interface DeadLetter {
  readonly seq: number;
  /** The idempotency id, `<device>:<counter>`. */
  readonly deliveryId: string;
  readonly at: number;
  readonly status: number | null;
  readonly error: string;
  readonly refusals: number;
}
