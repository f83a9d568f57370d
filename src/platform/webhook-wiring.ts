import type { EntityStore, WebhookEvent } from '../stores/entities/entity-store.js';
import type { Logger } from '../shared/observability/logger.js';
import { WebhookDispatcher } from '../surfaces/webhooks/webhook-dispatcher.js';
import { WEBHOOK_SECRET_KEY, WebhookSecretBox } from '../surfaces/webhooks/webhook-secret-box.js';
import { WebhookService } from '../surfaces/webhooks/webhook-service.js';
import type { KeyProvider } from '../stores/keys/index.js';
import type { PlatformConfig } from './platform-config.js';

export interface WebhookWiring {
  /** What the API's /v1/webhooks routes use. */
  readonly service: WebhookService;
  /**
   * For the alarm engine: one signed delivery of `event` per enabled webhook whose filter takes
   * `event.kind`, sent now and retried until a 2xx. The same event id again enqueues nothing.
   * Resolves with the new deliveries' ids once they are rows (a restart does not lose them).
   */
  readonly enqueueWebhookEvent: (event: WebhookEvent) => Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * Webhook delivery in the platform (issue 18): the outbox is a table of the entity store, and a
 * dispatcher sends what is due. Several platforms on one PostgreSQL each run one; their claims
 * never overlap (row locks and leases).
 */
export function wireWebhooks(options: {
  readonly config: Pick<PlatformConfig, 'webhookPollMs'>;
  readonly entities: EntityStore;
  readonly log: Logger;
  readonly now: () => number;
  readonly keys: KeyProvider;
}): WebhookWiring {
  const { entities, log, now } = options;
  const secrets = new WebhookSecretBox(() => options.keys.dataKey(WEBHOOK_SECRET_KEY));
  const dispatcher = new WebhookDispatcher({
    records: entities,
    secrets,
    log,
    now,
    ...(options.config.webhookPollMs !== undefined ? { pollMs: options.config.webhookPollMs } : {}),
  });
  const service = new WebhookService({ records: entities, secrets, dispatcher, now });
  dispatcher.start();
  return {
    service,
    enqueueWebhookEvent: service.enqueue,
    stop: () => dispatcher.stop(),
  };
}
