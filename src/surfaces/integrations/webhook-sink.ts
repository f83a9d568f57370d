import { describeFailure, DELIVERY_HEADER, EVENT_HEADER } from '../webhooks/webhook-dispatcher.js';
import { SIGNATURE_HEADER, signWebhook } from '../webhooks/webhook-signature.js';
import type { OutboundEvent } from './outbound-event.js';
import type { Sink, SinkResult } from './sink.js';

/** Headers every delivery carries; an integration's own headers may not replace them. */
export const RESERVED_HEADERS = new Set(
  [SIGNATURE_HEADER, DELIVERY_HEADER, EVENT_HEADER, 'content-type', 'content-length', 'host'].map(
    (h) => h.toLowerCase(),
  ),
);

export interface WebhookSinkOptions {
  readonly url: string;
  /** Opened (not sealed); without one, deliveries go unsigned. */
  readonly secret?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly now: () => number;
  readonly fetch?: typeof fetch;
}

/**
 * POSTs one event as JSON, signed as alarm webhooks are (decision 036: `Fleetplane-Signature`,
 * Stripe's scheme), with the idempotency id in `Fleetplane-Delivery`. A 2xx is the
 * acknowledgement; a redirect is not followed (it could steer the body to a host nobody
 * registered) and counts as a failure, as does no answer within the timeout.
 */
export class WebhookSink implements Sink {
  readonly #o: WebhookSinkOptions;
  readonly #closing = new AbortController();

  constructor(options: WebhookSinkOptions) {
    this.#o = options;
  }

  async deliver(event: OutboundEvent): Promise<SinkResult> {
    const body = JSON.stringify(event);
    const headers: Record<string, string> = {
      ...this.#o.headers,
      'content-type': 'application/json',
      'user-agent': 'fleetplane-integrations/1',
      [DELIVERY_HEADER]: event.id,
      [EVENT_HEADER]: `telemetry.${event.type}`,
    };
    if (this.#o.secret !== undefined) {
      headers[SIGNATURE_HEADER] = signWebhook(this.#o.secret, body, this.#o.now() / 1000);
    }
    try {
      const response = await (this.#o.fetch ?? fetch)(this.#o.url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(this.#o.timeoutMs), this.#closing.signal]),
      });
      await response.body?.cancel().catch(() => undefined);
      const { status } = response;
      if (status >= 200 && status < 300) return { ok: true, status };
      const location = response.headers.get('location');
      const error =
        status >= 300 && status < 400
          ? `HTTP ${status} redirect${location ? ` to ${location}` : ''} (not followed)`
          : `HTTP ${status}`;
      return { ok: false, status, error };
    } catch (error) {
      return { ok: false, status: null, error: describeFailure(error, this.#o.timeoutMs) };
    }
  }

  close(): Promise<void> {
    this.#closing.abort();
    return Promise.resolve();
  }
}
