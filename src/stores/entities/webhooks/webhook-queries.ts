import type { SqlClient } from '../sql/sql-client.js';
import { toIso, toIsoOrNull, toNumber, toNumberOrNull, toStringOrNull } from '../sql/values.js';
import type {
  AttemptOutcome,
  ClaimedDelivery,
  DeliveryRecord,
  DeliveryState,
  NewWebhook,
  WebhookEvent,
  WebhookRecord,
  WebhookRecords,
} from './webhook-records.js';

const iso = (ms: number) => new Date(ms).toISOString();

const WEBHOOK_COLUMNS = 'id, url, event_kinds, enabled, created_at, created_by';
const DELIVERY_COLUMNS = `id, webhook_id, event_id, event_kind, event_at, payload, state, attempts,
  next_attempt_at, last_status, last_error, created_at, delivered_at`;

/** WebhookRecords over any SqlClient (PGlite or a PostgreSQL server). */
export class SqlWebhookRecords implements WebhookRecords {
  constructor(private readonly client: SqlClient) {}

  async addWebhook(w: NewWebhook): Promise<WebhookRecord> {
    const rows = await this.client.query(
      `INSERT INTO webhooks (id, url, secret, event_kinds, created_at, created_by)
       VALUES ($1, $2, $3, $4::text[], $5, $6) RETURNING ${WEBHOOK_COLUMNS}`,
      [w.id, w.url, w.secret, [...w.events], iso(w.at), w.createdBy],
    );
    return toWebhook(rows[0]!);
  }

  async getWebhook(id: string): Promise<WebhookRecord | undefined> {
    const rows = await this.client.query(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE id = $1`, [
      id,
    ]);
    return rows[0] === undefined ? undefined : toWebhook(rows[0]);
  }

  async listWebhooks(): Promise<WebhookRecord[]> {
    const rows = await this.client.query(
      `SELECT ${WEBHOOK_COLUMNS} FROM webhooks ORDER BY created_at, id`,
    );
    return rows.map(toWebhook);
  }

  async removeWebhook(id: string): Promise<boolean> {
    const rows = await this.client.query('DELETE FROM webhooks WHERE id = $1 RETURNING id', [id]);
    return rows.length > 0;
  }

  async enqueueWebhookEvent(
    event: WebhookEvent,
    options: { readonly now: number; readonly webhookId?: string },
  ): Promise<string[]> {
    // The delivery id is made here, one per row; ON CONFLICT makes a second offer of the same
    // event to the same webhook a no-op (and returns no id for it).
    const rows = await this.client.query<{ id: string }>(
      `INSERT INTO webhook_deliveries AS d (id, webhook_id, event_id, event_kind, event_at,
         payload, next_attempt_at, created_at)
       SELECT 'whd_' || replace(gen_random_uuid()::text, '-', ''), w.id, $1, $2, $3, $4::jsonb,
         $5, $5
       FROM webhooks w
       WHERE w.enabled AND CASE WHEN $6::text IS NULL
         THEN cardinality(w.event_kinds) = 0 OR $2::text = ANY (w.event_kinds)
         ELSE w.id = $6::text END
       ON CONFLICT (webhook_id, event_id) DO NOTHING
       RETURNING d.id`,
      [
        event.id,
        event.kind,
        iso(event.at),
        JSON.stringify(event.payload),
        iso(options.now),
        options.webhookId ?? null,
      ],
    );
    return rows.map((r) => r.id);
  }

  async claimDueDeliveries(
    now: number,
    limit: number,
    leaseMs: number,
  ): Promise<ClaimedDelivery[]> {
    // SKIP LOCKED: two platforms on one PostgreSQL claim disjoint rows instead of waiting.
    const rows = await this.client.query(
      `UPDATE webhook_deliveries d SET next_attempt_at = $2
       FROM webhooks w
       WHERE w.id = d.webhook_id AND d.id IN (
         SELECT due.id FROM webhook_deliveries due JOIN webhooks hook ON hook.id = due.webhook_id
         WHERE due.state = 'pending' AND due.next_attempt_at <= $1 AND hook.enabled
         ORDER BY due.next_attempt_at, due.id LIMIT $3
         FOR UPDATE OF due SKIP LOCKED)
       RETURNING d.id, d.webhook_id, w.url, w.secret, d.event_id, d.event_kind, d.event_at,
         d.payload, d.attempts`,
      [iso(now), iso(now + leaseMs), limit],
    );
    return rows.map((r) => ({
      id: String(r['id']),
      webhookId: String(r['webhook_id']),
      url: String(r['url']),
      secret: String(r['secret']),
      event: {
        id: String(r['event_id']),
        kind: String(r['event_kind']),
        at: Date.parse(toIso(r['event_at'])),
        payload: r['payload'] as Record<string, unknown>,
      },
      attempts: toNumber(r['attempts']),
    }));
  }

  async recordDeliveryAttempt(id: string, outcome: AttemptOutcome): Promise<void> {
    await this.client.query(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = $2, last_error = $3,
         state = CASE $4::text WHEN 'retry' THEN 'pending' ELSE $4::text END,
         next_attempt_at = COALESCE($5::timestamptz, next_attempt_at),
         delivered_at = CASE WHEN $4::text = 'delivered' THEN $6::timestamptz END
       WHERE id = $1 AND state = 'pending'`,
      [
        id,
        outcome.status,
        outcome.error,
        outcome.result,
        outcome.nextAttemptAt === undefined ? null : iso(outcome.nextAttemptAt),
        iso(outcome.at),
      ],
    );
  }

  async listDeliveries(
    webhookId: string,
    limit: number,
    state?: DeliveryState,
  ): Promise<DeliveryRecord[]> {
    const rows = await this.client.query(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries
       WHERE webhook_id = $1 AND ($3::text IS NULL OR state = $3::text)
       ORDER BY created_at DESC, id DESC LIMIT $2`,
      [webhookId, limit, state ?? null],
    );
    return rows.map(toDelivery);
  }
}

function toWebhook(r: Record<string, unknown>): WebhookRecord {
  return {
    id: String(r['id']),
    url: String(r['url']),
    events: (r['event_kinds'] as string[] | null) ?? [],
    enabled: r['enabled'] === true,
    createdAt: toIso(r['created_at']),
    createdBy: String(r['created_by']),
  };
}

function toDelivery(r: Record<string, unknown>): DeliveryRecord {
  return {
    id: String(r['id']),
    webhookId: String(r['webhook_id']),
    eventId: String(r['event_id']),
    eventKind: String(r['event_kind']),
    eventAt: toIso(r['event_at']),
    payload: r['payload'] as Record<string, unknown>,
    state: r['state'] as DeliveryState,
    attempts: toNumber(r['attempts']),
    nextAttemptAt: toIso(r['next_attempt_at']),
    lastStatus: toNumberOrNull(r['last_status']),
    lastError: toStringOrNull(r['last_error']),
    createdAt: toIso(r['created_at']),
    deliveredAt: toIsoOrNull(r['delivered_at']),
  };
}
