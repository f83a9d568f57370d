import type { AuditActor, AuditEntry, AuditRecord } from './audit-log.js';

/**
 * Retention of the audit log (decision 063). Records are deleted only from the start of the chain,
 * and only with an anchor: a record appended at the head, in the same transaction, that names the
 * last deleted record and its hash. The anchor is itself a link of the chain, so editing what it
 * claims breaks the chain at the anchor; verification starts where the newest anchor says the
 * kept chain starts, and still finds any edit, gap or reorder in what remains.
 */
export const RETENTION_ACTION = 'retention' as const;

export interface AuditPruneDue {
  /** Records a prune would delete: the oldest, up to the first one written at or after the cutoff. */
  readonly records: number;
  /** The seq of the last of them (0 when none). */
  readonly through: number;
}

export interface AuditPruneOutcome extends AuditPruneDue {
  /** The anchor appended; undefined when nothing was due (a second run does nothing). */
  readonly anchor?: AuditRecord;
}

export function anchorEntry(
  actor: AuditActor,
  before: Date,
  through: { readonly seq: number; readonly hash: string },
  records: number,
): AuditEntry {
  return {
    actor,
    action: RETENTION_ACTION,
    purpose: 'audit records past their 7-year retention deleted (decision 063)',
    detail: {
      deletedThrough: through.seq,
      deletedThroughHash: through.hash,
      deleted: records,
      writtenBefore: before.toISOString(),
    },
  };
}

/** Where a walk of the kept chain starts: after the newest anchor's last deleted record. */
export function chainStart(anchor: AuditRecord | undefined): { seq: number; prevHash: string } {
  const through = anchor?.detail?.['deletedThrough'];
  const hash = anchor?.detail?.['deletedThroughHash'];
  // A malformed anchor was edited: start at 1 and let the walk report the break.
  if (typeof through !== 'number' || typeof hash !== 'string') return { seq: 1, prevHash: '' };
  return { seq: through + 1, prevHash: hash };
}
