import type {
  AttemptOutcome,
  ClaimedDelivery,
  WebhookRecords,
} from '../../stores/entities/webhooks/webhook-records.js';
import type { Logger } from '../../shared/observability/logger.js';
import { DEFAULT_RETRY, retryDelayMs, type RetryPolicy } from './webhook-backoff.js';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature.js';
import type { WebhookSecretBox } from './webhook-secret-box.js';

export const DELIVERY_HEADER = 'Fleetplane-Delivery';
export const EVENT_HEADER = 'Fleetplane-Event';

export interface DispatcherOptions {
  readonly records: Pick<WebhookRecords, 'claimDueDeliveries' | 'recordDeliveryAttempt'>;
  readonly log: Logger;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  readonly random?: () => number;
  readonly retry?: RetryPolicy;
  /** Deliveries in flight at once. Default 8. */
  readonly concurrency?: number;
  /** How long a receiver has to answer. Default 10 s. */
  readonly timeoutMs?: number;
  /** How often the loop looks for retries that fell due. Default 5 s; enqueueing wakes it. */
  readonly pollMs?: number;
  /** Opens secrets the service sealed; without one, they are read as stored. */
  readonly secrets?: WebhookSecretBox;
}

/**
 * Sends due webhook deliveries: claims them from the entity store (where they survive a restart),
 * POSTs each signed, and records the outcome. A 2xx is final; anything else (another status, a
 * redirect, which is not followed, a refused connection, a timeout) is retried with backoff until
 * the attempts run out. `deliverDue` claims and attempts once, for tests on an injected clock;
 * `start` keeps up to `concurrency` deliveries in flight until `stop`.
 */
export class WebhookDispatcher {
  readonly #o: DispatcherOptions;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  readonly #retry: RetryPolicy;
  readonly #concurrency: number;
  readonly #timeoutMs: number;
  /** Aborts the requests in flight when the platform stops; their leases bring them back. */
  readonly #stopping = new AbortController();
  #loop: Promise<void> | undefined;
  readonly #inFlight = new Set<Promise<void>>();
  #wake: (() => void) | undefined;
  #kicked = false;

  constructor(options: DispatcherOptions) {
    this.#o = options;
    this.#fetch = options.fetch ?? fetch;
    this.#now = options.now ?? Date.now;
    this.#retry = options.retry ?? DEFAULT_RETRY;
    this.#concurrency = options.concurrency ?? 8;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Something was enqueued: look now rather than at the next poll. */
  kick(): void {
    this.#kicked = true;
    this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#stopping.abort();
    this.#wake?.();
    await this.#loop;
  }

  /**
   * Claims due deliveries for the free slots (of `concurrency`) and attempts them; resolves when
   * those attempts are recorded. Returns how many it claimed.
   */
  async deliverDue(): Promise<number> {
    const started = await this.#claimAndStart();
    await Promise.all(started);
    return started.length;
  }

  async #claimAndStart(): Promise<Promise<void>[]> {
    const free = this.#concurrency - this.#inFlight.size;
    if (free <= 0) return [];
    // The lease outlasts the request's timeout, so no claim takes a delivery still in flight.
    const lease = this.#timeoutMs * 3;
    const due = await this.#o.records.claimDueDeliveries(this.#now(), free, lease);
    return due.map((delivery) => {
      const attempt: Promise<void> = this.#attempt(delivery)
        .catch((error: unknown) => {
          // Not recorded: the lease runs out and the delivery is tried again.
          this.#o.log.error(
            { err: error, deliveryId: delivery.id },
            'webhook attempt not recorded',
          );
        })
        .finally(() => {
          this.#inFlight.delete(attempt);
          // A slot is free: a full pool may have left deliveries due.
          this.#wake?.();
        });
      this.#inFlight.add(attempt);
      return attempt;
    });
  }

  /**
   * The loop: fills free slots, then sleeps until a kick, a finished attempt or the poll. It does
   * not wait for the attempts it started, so one receiver that takes its full 10 s holds one slot,
   * not everyone's deliveries.
   */
  async #run(): Promise<void> {
    const pollMs = this.#o.pollMs ?? 5_000;
    while (!this.#stopping.signal.aborted) {
      this.#kicked = false;
      try {
        await this.#claimAndStart();
      } catch (error) {
        if (!this.#stopping.signal.aborted) {
          this.#o.log.error(
            { err: error },
            'claiming webhook deliveries failed; trying again later',
          );
        }
      }
      if (this.#kicked || this.#stopping.signal.aborted) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        timer.unref();
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
    await Promise.all(this.#inFlight);
  }

  async #attempt(delivery: ClaimedDelivery): Promise<void> {
    const sent = await this.#post(delivery);
    if (sent === 'stopped') return;
    const at = this.#now();
    const attempts = delivery.attempts + 1;
    let outcome: AttemptOutcome;
    if (sent.ok) outcome = { at, status: sent.status, error: null, result: 'delivered' };
    else if (attempts >= this.#retry.maxAttempts)
      outcome = { at, ...sent.failure, result: 'failed' };
    else {
      const wait = retryDelayMs(attempts, this.#retry, this.#o.random ?? Math.random);
      outcome = { at, ...sent.failure, result: 'retry', nextAttemptAt: at + wait };
    }
    await this.#o.records.recordDeliveryAttempt(delivery.id, outcome);
    if (outcome.result === 'failed') {
      this.#o.log.warn(
        { deliveryId: delivery.id, webhookId: delivery.webhookId, error: outcome.error },
        `webhook delivery failed after ${attempts} attempts`,
      );
    }
  }

  async #post(
    delivery: ClaimedDelivery,
  ): Promise<
    | { ok: true; status: number }
    | { ok: false; failure: { status: number | null; error: string } }
    | 'stopped'
  > {
    const { event } = delivery;
    let secret: string;
    try {
      secret = this.#o.secrets
        ? await this.#o.secrets.open(delivery.webhookId, delivery.secret)
        : delivery.secret;
    } catch {
      // Retried like a refused connection: a key provider that is back opens it next time.
      return { ok: false, failure: { status: null, error: 'cannot open the signing secret' } };
    }
    // id, kind and at come first and cannot be overridden by a payload field of the same name.
    const body = JSON.stringify({
      ...{ id: event.id, kind: event.kind, at: new Date(event.at).toISOString() },
      ...withoutEnvelopeKeys(event.payload),
    });
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'fleetplane-webhooks/1',
      [SIGNATURE_HEADER]: signWebhook(secret, body, Math.floor(this.#now() / 1000)),
      [DELIVERY_HEADER]: delivery.id,
      [EVENT_HEADER]: event.kind,
    };
    try {
      const response = await this.#fetch(delivery.url, {
        method: 'POST',
        headers,
        body,
        // A redirect is an answer, not a 2xx: following it could send the signed body somewhere
        // the operator never registered.
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(this.#timeoutMs), this.#stopping.signal]),
      });
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) {
        return { ok: true, status: response.status };
      }
      const location = response.headers.get('location');
      const error =
        response.status >= 300 && response.status < 400
          ? `HTTP ${response.status} redirect${location ? ` to ${location}` : ''} (not followed)`
          : `HTTP ${response.status}`;
      return { ok: false, failure: { status: response.status, error } };
    } catch (error) {
      if (this.#stopping.signal.aborted) return 'stopped';
      return {
        ok: false,
        failure: { status: null, error: describeFailure(error, this.#timeoutMs) },
      };
    }
  }
}

const ENVELOPE_KEYS = new Set(['id', 'kind', 'at']);

function withoutEnvelopeKeys(payload: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(payload).filter(([key]) => !ENVELOPE_KEYS.has(key)));
}

/** What the delivery log says about a request that got no answer. */
export function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  const cause =
    error instanceof Error ? (error.cause as { code?: string; message?: string }) : undefined;
  const detail = cause?.code ?? cause?.message;
  const message = error instanceof Error ? error.message : String(error);
  return detail ? `${message} (${detail})` : message;
}
