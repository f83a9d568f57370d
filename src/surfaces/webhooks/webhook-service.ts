import { randomBytes, randomUUID } from 'node:crypto';
import type {
  DeliveryRecord,
  DeliveryState,
  WebhookEvent,
  WebhookRecord,
  WebhookRecords,
} from '../../stores/entities/webhooks/webhook-records.js';
import type { WebhookSecretBox } from './webhook-secret-box.js';
import { webhookUrlRefusal } from './webhook-url.js';

export type AddedWebhook =
  { readonly added: WebhookRecord; readonly secret: string } | { readonly refused: string };

/**
 * Webhooks as the API and the alarm engine use them: adding one makes its secret, enqueueing an
 * event wakes the dispatcher so the delivery goes out now rather than at the next poll.
 */
export class WebhookService {
  constructor(
    private readonly options: {
      readonly records: WebhookRecords;
      /** Seals each secret before it is stored; without one, secrets are stored in the clear. */
      readonly secrets?: WebhookSecretBox;
      /** The platform's dispatcher; without one, deliveries wait in the table. */
      readonly dispatcher?: { kick(): void };
      readonly now?: () => number;
    },
  ) {}

  async add(request: {
    readonly url: string;
    readonly events?: readonly string[];
    readonly by: string;
  }): Promise<AddedWebhook> {
    const refused = webhookUrlRefusal(request.url);
    if (refused !== undefined) return { refused };
    // 32 random bytes: the HMAC key; `whsec_` makes a leaked one easy to recognise and scan for.
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const id = `wh_${randomBytes(9).toString('base64url')}`;
    const added = await this.options.records.addWebhook({
      id,
      url: request.url,
      secret: this.options.secrets ? await this.options.secrets.seal(id, secret) : secret,
      events: [...new Set(request.events ?? [])],
      createdBy: request.by,
      at: this.#now(),
    });
    return { added, secret };
  }

  list(): Promise<WebhookRecord[]> {
    return this.options.records.listWebhooks();
  }

  get(id: string): Promise<WebhookRecord | undefined> {
    return this.options.records.getWebhook(id);
  }

  remove(id: string): Promise<boolean> {
    return this.options.records.removeWebhook(id);
  }

  deliveries(id: string, limit: number, state?: DeliveryState): Promise<DeliveryRecord[]> {
    return this.options.records.listDeliveries(id, limit, state);
  }

  /**
   * The alarm engine's entry: one delivery per enabled webhook whose filter takes `event.kind`.
   * Safe to call again with the same event id (nothing new is enqueued). Returns the deliveries'
   * ids.
   */
  enqueue = async (event: WebhookEvent): Promise<string[]> => {
    return this.#enqueued(
      await this.options.records.enqueueWebhookEvent(event, { now: this.#now() }),
    );
  };

  /** A `ping` event for one webhook only, to check the receiver; undefined: no such webhook. */
  async ping(id: string, by: string): Promise<string | undefined> {
    const at = this.#now();
    const event = { id: `ping_${randomUUID()}`, kind: 'ping', at, payload: { webhookId: id, by } };
    const ids = await this.options.records.enqueueWebhookEvent(event, { now: at, webhookId: id });
    return this.#enqueued(ids)[0];
  }

  #enqueued(ids: string[]): string[] {
    if (ids.length > 0) this.options.dispatcher?.kick();
    return ids;
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }
}
