/**
 * Account data past retention (decision 063): a session (with its scans, payment, checkout and
 * alerts) is due 7 years after its account ended, or after its own end when it has no account;
 * an account row, 7 years after it ended (its DSAR deletion), once its sessions are gone. An
 * account that has not ended keeps everything.
 */
export interface ExpiredSession {
  readonly sessionId: string;
  readonly storeId: string;
  /** The signed receipt's id when a checkout issued one: the blob to delete with the session. */
  readonly receiptId: string | null;
}

export interface ExpiredAccount {
  readonly customerId: string;
  /** Whose vault holds the person's tier 3 record. */
  readonly region: string;
}

export interface AccountDataDue {
  readonly sessions: number;
  readonly receipts: number;
  readonly accounts: number;
}

export interface RetentionRecords {
  /** What is due for a cutoff (ISO time): counts only. */
  accountDataDue(before: string): Promise<AccountDataDue>;
  /** Due sessions, oldest end first, at most `limit`. */
  listExpiredSessions(before: string, limit: number): Promise<ExpiredSession[]>;
  /** Deletes sessions with everything that hangs off them; returns how many sessions. */
  deleteSessions(sessionIds: readonly string[]): Promise<number>;
  /** Accounts that ended before the cutoff and have no session left, at most `limit`. */
  listExpiredAccounts(before: string, limit: number): Promise<ExpiredAccount[]>;
  /** Deletes account rows (their app codes and shopping lists go with them); returns how many. */
  deleteAccounts(customerIds: readonly string[]): Promise<number>;
}
