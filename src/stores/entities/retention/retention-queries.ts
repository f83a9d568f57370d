import type { SqlClient } from '../sql/sql-client.js';
import { SqlToolRecords } from '../tools/tool-queries.js';
import { toNumber, toStringOrNull } from '../sql/values.js';
import type {
  AccountDataDue,
  ExpiredAccount,
  ExpiredSession,
  RetentionRecords,
} from './retention-records.js';

/**
 * A session's end for retention: the end of its account when it has one (an account not ended
 * keeps it), else its own end, or its last change if it never ended.
 */
const EXPIRED_SESSIONS = `
  FROM sessions s LEFT JOIN accounts a ON a.customer_id = s.account_id
  LEFT JOIN checkouts c ON c.session_id = s.session_id
  WHERE CASE WHEN s.account_id IS NULL THEN COALESCE(s.ended_at, s.updated_at) < $1::timestamptz
             ELSE a.deleted_at < $1::timestamptz END`;

const EXPIRED_ACCOUNTS = `
  FROM accounts a WHERE a.deleted_at < $1::timestamptz
  AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.account_id = a.customer_id)`;

/** RetentionRecords over any SqlClient; SqlEntityStore inherits it. */
export class SqlRetentionRecords extends SqlToolRecords implements RetentionRecords {
  readonly #client: SqlClient;

  constructor(client: SqlClient) {
    super(client);
    this.#client = client;
  }

  async accountDataDue(before: string): Promise<AccountDataDue> {
    const [row] = await this.#client.query<Record<string, unknown>>(
      `SELECT count(*) AS sessions, count(c.receipt_id) AS receipts ${EXPIRED_SESSIONS}`,
      [before],
    );
    // An ended account's sessions fall due with it, so each such account goes in the same run.
    const [accounts] = await this.#client.query<Record<string, unknown>>(
      'SELECT count(*) AS n FROM accounts WHERE deleted_at < $1::timestamptz',
      [before],
    );
    return {
      sessions: toNumber(row!['sessions']),
      receipts: toNumber(row!['receipts']),
      accounts: toNumber(accounts!['n']),
    };
  }

  async listExpiredSessions(before: string, limit: number): Promise<ExpiredSession[]> {
    const rows = await this.#client.query<Record<string, unknown>>(
      `SELECT s.session_id, s.store_id, c.receipt_id ${EXPIRED_SESSIONS}
       ORDER BY COALESCE(a.deleted_at, s.ended_at, s.updated_at), s.session_id LIMIT $2`,
      [before, limit],
    );
    return rows.map((r) => ({
      sessionId: String(r['session_id']),
      storeId: String(r['store_id']),
      receiptId: toStringOrNull(r['receipt_id']),
    }));
  }

  async deleteSessions(sessionIds: readonly string[]): Promise<number> {
    if (sessionIds.length === 0) return 0;
    return this.#client.transaction(async (tx) => {
      const ids = [sessionIds];
      // Alerts name a session softly; they are about it, so they go with it.
      await tx.query('DELETE FROM alerts WHERE session_id = ANY($1::uuid[])', ids);
      await tx.query('DELETE FROM scans WHERE session_id = ANY($1::uuid[])', ids);
      await tx.query('DELETE FROM payments WHERE session_id = ANY($1::uuid[])', ids);
      await tx.query('DELETE FROM checkouts WHERE session_id = ANY($1::uuid[])', ids);
      // A kept session that continued a deleted one (a transfer) loses only the pointer.
      await tx.query(
        'UPDATE sessions SET merged_into = NULL WHERE merged_into = ANY($1::uuid[])',
        ids,
      );
      const deleted = await tx.query(
        'DELETE FROM sessions WHERE session_id = ANY($1::uuid[]) RETURNING session_id',
        ids,
      );
      return deleted.length;
    });
  }

  async listExpiredAccounts(before: string, limit: number): Promise<ExpiredAccount[]> {
    const rows = await this.#client.query<Record<string, unknown>>(
      `SELECT a.customer_id, a.region ${EXPIRED_ACCOUNTS} ORDER BY a.deleted_at, a.customer_id LIMIT $2`,
      [before, limit],
    );
    return rows.map((r) => ({ customerId: String(r['customer_id']), region: String(r['region']) }));
  }

  async deleteAccounts(customerIds: readonly string[]): Promise<number> {
    if (customerIds.length === 0) return 0;
    const deleted = await this.#client.query(
      `DELETE FROM accounts a WHERE a.customer_id = ANY($1::uuid[])
       AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.account_id = a.customer_id)
       RETURNING customer_id`,
      [customerIds],
    );
    return deleted.length;
  }
}
