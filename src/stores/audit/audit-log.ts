import type { AuditPruneDue, AuditPruneOutcome } from './audit-retention.js';

export type { AuditPruneDue, AuditPruneOutcome } from './audit-retention.js';

/**
 * The audit log port: who touched which person's data, or overrode which cart, why and when.
 * Append-only and tamper-evident: each record carries the SHA-256 of its predecessor, so editing,
 * removing or reordering a record breaks the chain that `verify` walks. The embedded adapter is a
 * SQLite file under DIR/audit/; the scale-out adapter a PostgreSQL table. Both run the suite in
 * audit-log.contract.ts. Records never hold a personal value, only ids and field names.
 */
export type AuditAction =
  /** A tier 3 field was decrypted (for a greeting, an export, a support case). */
  | 'decrypt'
  /** A tier 2 id was joined to its tier 3 record, or the reverse. */
  | 'join'
  | 'import'
  | 'correct'
  | 'export'
  | 'delete'
  /** A cross-region request allowed through the audited ops path. */
  | 'residency-override'
  /** A staff member acted on a cart (pause, cancel, restart, maintenance). */
  | 'staff-override'
  /** A loss-prevention alert was acknowledged or resolved. */
  | 'alert-state'
  /** A connected tool was serviced: its usage since service was reset (decision 046). */
  | 'tool-service'
  // The console (decision 023): a person's passkeys and sessions, and what they change.
  | 'console-enrol'
  | 'console-sign-in'
  | 'console-step-up'
  | 'console-sign-out'
  | 'console-invite'
  /** A state-changing request made through a console session (route and ids, never the body). */
  | 'console-request'
  /** Records past retention deleted from the start of the chain: the anchor (decision 063). */
  | 'retention';

export interface AuditActor {
  /** ops, staff, customer, privacy, or a service (identity-service, payment-bridge, cli). */
  readonly role: string;
  /** Token subject, staff id or service name; `person:<id>` for someone signed in at the console. */
  readonly subject: string;
}

export interface AuditEntry {
  readonly actor: AuditActor;
  readonly action: AuditAction;
  /** Why, in a few words a reviewer can judge: 'greet customer on cart', 'DSAR export'. */
  readonly purpose: string;
  readonly accountId?: string;
  readonly deviceId?: string;
  readonly storeId?: string;
  readonly region?: string;
  /** Names of the fields read or changed, never their values. */
  readonly fields?: readonly string[];
  /** Small structured detail without personal values (a command id, a session id). */
  readonly detail?: Readonly<Record<string, string | number | boolean>>;
}

export interface AuditRecord extends AuditEntry {
  /** 1, 2, 3…: the position in the chain. */
  readonly seq: number;
  readonly at: Date;
  /** Hex SHA-256 of the previous record ('' for the first). */
  readonly prevHash: string;
  /** Hex SHA-256 over prevHash and this record's canonical JSON. */
  readonly hash: string;
}

export interface AuditQuery {
  readonly accountId?: string;
  readonly deviceId?: string;
  readonly storeId?: string;
  readonly action?: AuditAction;
  readonly since?: Date;
  readonly until?: Date;
  /** Records after this seq, oldest first. */
  readonly afterSeq?: number;
  readonly limit?: number;
}

export interface AuditVerification {
  readonly ok: boolean;
  readonly records: number;
  /** The first seq whose hash or link does not hold. */
  readonly brokenAt?: number;
  readonly reason?: string;
  /**
   * The stored hash of the newest record ('' for an empty log). Tamper-evidence inside the log
   * cannot catch someone who rewrites the whole chain from some record on; recording this value
   * somewhere the log's writer cannot reach (a ticket, another system) and checking later that the
   * chain still passes through it can.
   */
  readonly headHash: string;
  /** Set when older records were deleted under retention: the first seq the walk expected. */
  readonly startsAt?: number;
}

export interface AuditLog {
  append(entry: AuditEntry): Promise<AuditRecord>;
  query(q: AuditQuery): Promise<AuditRecord[]>;
  /** Walks the whole chain from the first record, or from where the newest retention anchor says. */
  verify(): Promise<AuditVerification>;
  /** What `prune(before)` would delete. */
  pruneDue(before: Date): Promise<AuditPruneDue>;
  /**
   * Deletes the oldest records written before `before` and appends an anchor naming the last one
   * and its hash, in one transaction (audit-retention.ts). Nothing due: nothing appended.
   */
  prune(before: Date, actor: AuditActor): Promise<AuditPruneOutcome>;
  close(): Promise<void>;
}
