import type { RetryPolicy } from '../webhooks/webhook-backoff.js';

/**
 * How an integration retries the event at its head: from 1 s, doubling, to 5 minutes, with the
 * alarm webhooks' equal jitter (`retryDelayMs`). There is no last attempt: a feed delivered in
 * order cannot skip an event, so the integration keeps trying at the cap and is shown as
 * failing from `failingAfter` failures in a row until a delivery goes through.
 */
export interface IntegrationRetry extends RetryPolicy {
  readonly failingAfter: number;
}

export const DEFAULT_INTEGRATION_RETRY: IntegrationRetry = {
  baseDelayMs: 1_000,
  maxDelayMs: 300_000,
  maxAttempts: Number.POSITIVE_INFINITY,
  failingAfter: 5,
};
