import type { Migration } from './migration.js';

/**
 * Issue 18, webhook delivery for alarms. `webhooks` are operators' endpoints with the HMAC secret
 * deliveries are signed with (it must be readable to sign: it is not hashed). `webhook_deliveries`
 * is both the outbox and the delivery log: one row per event per webhook (UNIQUE, so enqueueing an
 * event twice is a no-op), tried until a 2xx or the attempts run out. The dispatcher's claim looks
 * for pending rows by due time, hence the index.
 */
export const webhooks: Migration = {
  id: 12,
  name: 'webhooks',
  statements: [
    `CREATE TABLE webhooks (
       id text PRIMARY KEY,
       url text NOT NULL,
       secret text NOT NULL,
       event_kinds text[] NOT NULL DEFAULT '{}',
       enabled boolean NOT NULL DEFAULT true,
       created_at timestamptz NOT NULL,
       created_by text NOT NULL
     )`,
    `CREATE TABLE webhook_deliveries (
       id text PRIMARY KEY,
       webhook_id text NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
       event_id text NOT NULL,
       event_kind text NOT NULL,
       event_at timestamptz NOT NULL,
       payload jsonb NOT NULL,
       state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
       attempts integer NOT NULL DEFAULT 0,
       next_attempt_at timestamptz NOT NULL,
       last_status integer,
       last_error text,
       created_at timestamptz NOT NULL,
       delivered_at timestamptz,
       UNIQUE (webhook_id, event_id)
     )`,
    'CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at)',
    'CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (webhook_id, created_at)',
  ],
};
