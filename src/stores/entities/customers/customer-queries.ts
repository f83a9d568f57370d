import { mergeSessions } from '../projection/merge.js';
import { SESSION_VIEW_FROM, toSessionView } from '../session-view.js';
import type { SqlClient } from '../sql/sql-client.js';
import { toIso, toIsoOrNull, toNumber, toStringOrNull } from '../sql/values.js';
import {
  DSAR_DEADLINE_MS,
  type AccountRecord,
  type AccountRegion,
  type CustomerRecords,
  type DsarRequest,
} from './customer-records.js';
import type { SessionView } from '../entity-store.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const iso = (ms: number) => new Date(ms).toISOString();

const ACCOUNT_COLUMNS = 'customer_id, kind, region, home_store_id, created_at, deleted_at';
const DSAR_COLUMNS = `request_id, customer_id, kind, state, region, requested_by, requested_at,
  deadline, completed_at, outcome`;

/** CustomerRecords over any SqlClient (PGlite or a PostgreSQL server). */
export class SqlCustomerRecords implements CustomerRecords {
  constructor(private readonly client: SqlClient) {}

  async createAccount(
    account: Parameters<CustomerRecords['createAccount']>[0],
  ): Promise<{ customerId: string; created: boolean }> {
    return this.client.transaction(async (tx) => {
      if (account.homeStoreId !== undefined) {
        await tx.query('INSERT INTO stores (store_id) VALUES ($1) ON CONFLICT DO NOTHING', [
          account.homeStoreId,
        ]);
      }
      const inserted = await tx.query<{ customer_id: string }>(
        `INSERT INTO accounts (home_store_id, kind, region, loyalty_digest) VALUES ($1, $2, $3, $4)
         ON CONFLICT (loyalty_digest) DO NOTHING RETURNING customer_id`,
        [account.homeStoreId ?? null, account.kind, account.region, account.loyaltyDigest ?? null],
      );
      if (inserted[0]) return { customerId: String(inserted[0].customer_id), created: true };
      const existing = await tx.query<{ customer_id: string }>(
        'SELECT customer_id FROM accounts WHERE loyalty_digest = $1',
        [account.loyaltyDigest],
      );
      return { customerId: String(existing[0]!.customer_id), created: false };
    });
  }

  async getAccount(customerId: string): Promise<AccountRecord | undefined> {
    if (!UUID.test(customerId)) return undefined;
    const rows = await this.client.query(
      `SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE customer_id = $1`,
      [customerId],
    );
    return rows[0] && toAccount(rows[0]);
  }

  async findAccountByLoyalty(loyaltyDigest: string): Promise<string | undefined> {
    const rows = await this.client.query<{ customer_id: string }>(
      'SELECT customer_id FROM accounts WHERE loyalty_digest = $1 AND deleted_at IS NULL',
      [loyaltyDigest],
    );
    return rows[0] ? String(rows[0].customer_id) : undefined;
  }

  async attachAccount(sessionId: string, customerId: string) {
    if (!UUID.test(sessionId) || !UUID.test(customerId)) return { attached: false, merges: [] };
    return this.client.transaction(async (tx) => {
      const rows = await tx.query(
        `UPDATE sessions SET account_id = a.customer_id, updated_at = now()
         FROM accounts a WHERE session_id = $1 AND a.customer_id = $2 AND a.deleted_at IS NULL
         RETURNING session_id`,
        [sessionId, customerId],
      );
      if (rows.length === 0) return { attached: false, merges: [] };
      return { attached: true, merges: await mergeSessions(tx, [sessionId]) };
    });
  }

  async putAppCode(codeDigest: string, customerId: string, expiresAt: number): Promise<void> {
    await this.client.query(
      'INSERT INTO app_codes (code_digest, customer_id, expires_at) VALUES ($1, $2, $3)',
      [codeDigest, customerId, iso(expiresAt)],
    );
  }

  async redeemAppCode(codeDigest: string, sessionId: string, at: number) {
    const rows = await this.client.query<{ customer_id: string }>(
      `UPDATE app_codes SET used_at = $3, used_by_session = $2
       WHERE code_digest = $1 AND used_at IS NULL AND expires_at > $3
       RETURNING customer_id`,
      [codeDigest, sessionId, iso(at)],
    );
    return rows[0] ? String(rows[0].customer_id) : undefined;
  }

  async listAccountSessions(customerId: string): Promise<SessionView[]> {
    if (!UUID.test(customerId)) return [];
    const rows = await this.client.query(
      `${SESSION_VIEW_FROM} WHERE s.account_id = $1 ORDER BY s.started_at DESC, s.session_id DESC`,
      [customerId],
    );
    return rows.map(toSessionView);
  }

  async forgetAccount(customerId: string, at: number) {
    if (!UUID.test(customerId)) return { sessionsUnlinked: 0 };
    return this.client.transaction(async (tx) => {
      const sessions = await tx.query(
        `UPDATE sessions SET account_id = NULL, customer_ref = NULL, updated_at = now()
         WHERE account_id = $1 RETURNING session_id`,
        [customerId],
      );
      await tx.query('DELETE FROM app_codes WHERE customer_id = $1', [customerId]);
      await tx.query('DELETE FROM shopping_lists WHERE customer_id = $1', [customerId]);
      // The account's console sign-in goes with it: its passkeys and sessions (cascade).
      await tx.query("DELETE FROM console_people WHERE role = 'customer' AND subject = $1", [
        customerId,
      ]);
      await tx.query(
        `UPDATE accounts SET loyalty_digest = NULL, home_store_id = NULL,
           deleted_at = COALESCE(deleted_at, $2) WHERE customer_id = $1`,
        [customerId, iso(at)],
      );
      return { sessionsUnlinked: sessions.length };
    });
  }

  async putShoppingList(customerId: string, storeId: string, skus: readonly string[]) {
    await this.client.transaction(async (tx) => {
      await tx.query('INSERT INTO stores (store_id) VALUES ($1) ON CONFLICT DO NOTHING', [storeId]);
      await tx.query(
        `INSERT INTO shopping_lists (customer_id, store_id, skus) VALUES ($1, $2, $3::jsonb)
         ON CONFLICT (customer_id, store_id) DO UPDATE SET skus = EXCLUDED.skus, updated_at = now()`,
        [customerId, storeId, JSON.stringify(skus)],
      );
    });
  }

  async getShoppingList(customerId: string, storeId: string): Promise<string[]> {
    if (!UUID.test(customerId)) return [];
    const rows = await this.client.query<{ skus: unknown }>(
      'SELECT skus FROM shopping_lists WHERE customer_id = $1 AND store_id = $2',
      [customerId, storeId],
    );
    const skus = rows[0]?.skus;
    return (typeof skus === 'string' ? (JSON.parse(skus) as string[]) : (skus as string[])) ?? [];
  }

  async openDsarRequest(
    request: Parameters<CustomerRecords['openDsarRequest']>[0],
  ): Promise<DsarRequest> {
    const rows = await this.client.query(
      `INSERT INTO dsar_requests (customer_id, kind, state, region, requested_by, requested_at,
         deadline) VALUES ($1, $2, 'open', $3, $4, $5, $6) RETURNING ${DSAR_COLUMNS}`,
      [
        request.customerId,
        request.kind,
        request.region,
        request.requestedBy,
        iso(request.at),
        iso(request.at + DSAR_DEADLINE_MS),
      ],
    );
    return toDsar(rows[0]!);
  }

  async closeDsarRequest(
    requestId: string,
    state: 'completed' | 'refused',
    at: number,
    outcome: string,
  ): Promise<DsarRequest | undefined> {
    if (!UUID.test(requestId)) return undefined;
    const rows = await this.client.query(
      `UPDATE dsar_requests SET state = $2, completed_at = $3, outcome = $4
       WHERE request_id = $1 AND state = 'open' RETURNING ${DSAR_COLUMNS}`,
      [requestId, state, iso(at), outcome],
    );
    return rows[0] && toDsar(rows[0]);
  }

  async listDsarRequests(filter: { readonly state?: DsarRequest['state'] }) {
    const rows = await this.client.query(
      `SELECT ${DSAR_COLUMNS} FROM dsar_requests WHERE ($1::text IS NULL OR state = $1)
       ORDER BY deadline, request_id`,
      [filter.state ?? null],
    );
    return rows.map(toDsar);
  }

  async countAccountsByRegion() {
    const rows = await this.client.query(
      `SELECT region, count(*) FILTER (WHERE deleted_at IS NULL) AS live,
         count(*) FILTER (WHERE deleted_at IS NOT NULL) AS deleted
       FROM accounts GROUP BY region ORDER BY region`,
    );
    return rows.map((r) => ({
      region: r['region'] as AccountRegion,
      live: toNumber(r['live']),
      deleted: toNumber(r['deleted']),
    }));
  }
}

function toAccount(row: Record<string, unknown>): AccountRecord {
  return {
    customerId: String(row['customer_id']),
    kind: row['kind'] as AccountRecord['kind'],
    region: row['region'] as AccountRegion,
    homeStoreId: toStringOrNull(row['home_store_id']),
    createdAt: toIso(row['created_at']),
    deletedAt: toIsoOrNull(row['deleted_at']),
  };
}

function toDsar(row: Record<string, unknown>): DsarRequest {
  return {
    requestId: String(row['request_id']),
    customerId: String(row['customer_id']),
    kind: row['kind'] as DsarRequest['kind'],
    state: row['state'] as DsarRequest['state'],
    region: row['region'] as AccountRegion,
    requestedBy: String(row['requested_by']),
    requestedAt: toIso(row['requested_at']),
    deadline: toIso(row['deadline']),
    completedAt: toIsoOrNull(row['completed_at']),
    outcome: toStringOrNull(row['outcome']),
  };
}
