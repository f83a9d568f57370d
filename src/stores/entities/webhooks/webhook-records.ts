/** Where one delivery of one event to one webhook stands. */
export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** An event for operators' endpoints (an alarm firing, a ping). */
export interface WebhookEvent {
  /** Stable per event: enqueueing the same id again delivers nothing new. */
  readonly id: string;
  /** e.g. `alarm.firing`, `ping`; webhooks filter on it. */
  readonly kind: string;
  /** When the event happened, ms since epoch. */
  readonly at: number;
  /** Sent beside id, kind and at in the body's top-level object. */
  readonly payload: Readonly<Record<string, unknown>>;
}

/** A webhook as listed: never its secret. */
export interface WebhookRecord {
  readonly id: string;
  readonly url: string;
  /** The event kinds it receives; empty: every kind. */
  readonly events: readonly string[];
  readonly enabled: boolean;
  readonly createdAt: string;
  /** `role:subject` of whoever added it. */
  readonly createdBy: string;
}

export interface NewWebhook {
  readonly id: string;
  readonly url: string;
  /** The HMAC key deliveries are signed with (`whsec_…`). */
  readonly secret: string;
  readonly events: readonly string[];
  readonly createdBy: string;
  readonly at: number;
}

/** One delivery as the log shows it. Times are ISO strings. */
export interface DeliveryRecord {
  readonly id: string;
  readonly webhookId: string;
  readonly eventId: string;
  readonly eventKind: string;
  readonly eventAt: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly state: DeliveryState;
  readonly attempts: number;
  /** When a pending delivery is next tried (also while a dispatcher holds it). */
  readonly nextAttemptAt: string;
  /** The HTTP status of the latest attempt; null: no answer (refused, timed out) or none yet. */
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly deliveredAt: string | null;
}

/** A delivery handed to a dispatcher, with what it needs to send it. */
export interface ClaimedDelivery {
  readonly id: string;
  readonly webhookId: string;
  readonly url: string;
  readonly secret: string;
  readonly event: WebhookEvent;
  /** Attempts made before this one. */
  readonly attempts: number;
}

/** What one attempt came to, and (decided by the dispatcher's policy) what happens next. */
export interface AttemptOutcome {
  readonly at: number;
  readonly status: number | null;
  readonly error: string | null;
  /** delivered: a 2xx; retry: try again at nextAttemptAt; failed: no more attempts. */
  readonly result: 'delivered' | 'retry' | 'failed';
  readonly nextAttemptAt?: number;
}

/**
 * The webhook half of the entity store: operators' endpoints and the delivery log. Deliveries are
 * rows, so they survive a restart, and (webhook, event) is unique, so an event is enqueued for a
 * webhook once however often it is offered.
 */
export interface WebhookRecords {
  addWebhook(webhook: NewWebhook): Promise<WebhookRecord>;
  getWebhook(id: string): Promise<WebhookRecord | undefined>;
  /** Oldest first. */
  listWebhooks(): Promise<WebhookRecord[]>;
  /** Deletes the webhook, its secret and its delivery log. False when there was none. */
  removeWebhook(id: string): Promise<boolean>;
  /**
   * One pending delivery, due at `now`, per enabled webhook whose filter takes the event's kind
   * (or only for `webhookId`, whatever its filter: a ping). Returns the new deliveries' ids; an
   * event already enqueued for a webhook adds nothing for it.
   */
  enqueueWebhookEvent(
    event: WebhookEvent,
    options: { readonly now: number; readonly webhookId?: string },
  ): Promise<string[]>;
  /**
   * Up to `limit` pending deliveries due at `now`, oldest due first, of enabled webhooks. Each is
   * leased: its next attempt moves to now + leaseMs, so no other claim takes it while it is in
   * flight, and a dispatcher that dies holding it leaves it to be tried again after the lease.
   */
  claimDueDeliveries(now: number, limit: number, leaseMs: number): Promise<ClaimedDelivery[]>;
  /** Counts one attempt of a pending delivery; a delivery no longer pending is left alone. */
  recordDeliveryAttempt(id: string, outcome: AttemptOutcome): Promise<void>;
  /** Newest first. */
  listDeliveries(
    webhookId: string,
    limit: number,
    state?: DeliveryState,
  ): Promise<DeliveryRecord[]>;
}
