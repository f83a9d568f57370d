import type { AuditActor, AuditLog } from '../../stores/audit/audit-log.js';
import type { BlobStore } from '../../stores/blobs/blob-store.js';
import type { RetentionRecords } from '../../stores/entities/retention/retention-records.js';
import type { TelemetryStore } from '../../stores/telemetry/telemetry-store.js';
import type { VaultStore } from '../../stores/vault/vault-store.js';
import { receiptBlobKey } from '../checkout/receipt.js';
import {
  retentionCutoffs,
  span,
  tierOf,
  type RetentionCutoffs,
  type RetentionRule,
} from './retention-policy.js';

/** What the job works on: each store's retention half only. */
export interface RetentionStores {
  readonly telemetry: Pick<TelemetryStore, 'retentionDue' | 'foldBefore' | 'dropAggregatesBefore'>;
  readonly entities: RetentionRecords;
  readonly vaults: ReadonlyMap<string, Pick<VaultStore, 'countErasedBefore' | 'purgeErasedBefore'>>;
  readonly audit: Pick<AuditLog, 'pruneDue' | 'prune' | 'append'>;
  readonly blobs: Pick<BlobStore, 'delete'>;
}

/** One line of the report: what, how many, what happens to it, and why (the rule and cutoff). */
export interface RetentionLine {
  readonly rule: RetentionRule;
  readonly what: string;
  readonly count: number;
  readonly action: string;
  /** Data older than this is due. */
  readonly cutoff: string;
  readonly why: string;
}

export interface RetentionReport {
  readonly now: string;
  /** False for a plan (a dry run): the counts are what a run would touch. */
  readonly applied: boolean;
  readonly lines: readonly RetentionLine[];
}

export interface RetentionOptions {
  /** Telemetry kept hot this many days instead of the policy's months (`--retention-days`). */
  readonly telemetryHotDays?: number;
}

const ACTOR: AuditActor = { role: 'service', subject: 'retention' };
const BATCH = 500;

export function cutoffsFor(now: Date, options: RetentionOptions = {}): RetentionCutoffs {
  const cutoffs = retentionCutoffs(now);
  if (options.telemetryHotDays === undefined) return cutoffs;
  const day = Math.floor((now.getTime() - options.telemetryHotDays * 86_400_000) / 86_400_000);
  return { ...cutoffs, telemetryRaw: new Date(day * 86_400_000) };
}

/** The dry run: what `runRetention` would do at `now`, changing nothing. */
export async function planRetention(
  stores: RetentionStores,
  now: Date,
  options: RetentionOptions = {},
): Promise<RetentionReport> {
  const c = cutoffsFor(now, options);
  const telemetry = await stores.telemetry.retentionDue(
    c.telemetryRaw.getTime(),
    c.telemetryAggregates.getTime(),
  );
  const account = await stores.entities.accountDataDue(c.accountData.toISOString());
  const vaults: [string, number][] = [];
  for (const [region, vault] of stores.vaults) {
    vaults.push([region, await vault.countErasedBefore(c.accountData)]);
  }
  const audit = await stores.audit.pruneDue(c.audit);
  return report(now, false, c, options, {
    raw: telemetry.rawEvents,
    aggregates: telemetry.aggregateDays,
    ...account,
    vaults,
    audit: audit.records,
  });
}

/**
 * Applies the policy at `now`. Each step is safe to stop anywhere and run again: telemetry folds
 * before it deletes (each store's fold counts an event once), a receipt goes before its session
 * (a rerun finds the session and deletes nothing twice), the audit prune is one transaction. A
 * second run at the same `now` finds nothing due.
 */
export async function runRetention(
  stores: RetentionStores,
  now: Date,
  options: RetentionOptions = {},
): Promise<RetentionReport> {
  const c = cutoffsFor(now, options);
  const fold = await stores.telemetry.foldBefore(c.telemetryRaw.getTime());
  const aggregates = await stores.telemetry.dropAggregatesBefore(c.telemetryAggregates.getTime());
  const before = c.accountData.toISOString();
  let sessions = 0;
  let receipts = 0;
  for (;;) {
    const due = await stores.entities.listExpiredSessions(before, BATCH);
    if (due.length === 0) break;
    for (const s of due) {
      if (
        s.receiptId !== null &&
        (await stores.blobs.delete(receiptBlobKey(s.storeId, s.sessionId)))
      )
        receipts += 1;
    }
    sessions += await stores.entities.deleteSessions(due.map((s) => s.sessionId));
    if (due.length < BATCH) break;
  }
  let accounts = 0;
  for (;;) {
    const due = await stores.entities.listExpiredAccounts(before, BATCH);
    const n = await stores.entities.deleteAccounts(due.map((a) => a.customerId));
    accounts += n;
    if (due.length < BATCH || n === 0) break;
  }
  const vaults: [string, number][] = [];
  for (const [region, vault] of stores.vaults) {
    const n = await vault.purgeErasedBefore(c.accountData);
    vaults.push([region, n]);
    // PII deleted is audited like PII read; the audit prune below runs after, so this one stays.
    if (n > 0) {
      await stores.audit.append({
        actor: ACTOR,
        action: 'delete',
        purpose: 'retention: vault records of accounts ended over 7 years ago deleted',
        region,
        detail: { accounts: n, erasedBefore: before },
      });
    }
  }
  const audit = await stores.audit.prune(c.audit, ACTOR);
  return report(now, true, c, options, {
    raw: fold.folded + fold.alreadyFolded,
    aggregates,
    sessions,
    receipts,
    accounts,
    vaults,
    audit: audit.records,
  });
}

function report(
  now: Date,
  applied: boolean,
  c: RetentionCutoffs,
  options: RetentionOptions,
  n: {
    raw: number;
    aggregates: number;
    sessions: number;
    receipts: number;
    accounts: number;
    vaults: readonly [string, number][];
    audit: number;
  },
): RetentionReport {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const kept = (rule: RetentionRule) => {
    const tier = tierOf(rule);
    return rule === 'telemetry-raw' && options.telemetryHotDays !== undefined
      ? tier.says(`${options.telemetryHotDays} days (--retention-days)`)
      : tier.says(span(tier.keepMonths));
  };
  const line = (
    rule: RetentionRule,
    what: string,
    count: number,
    action: string,
    cutoff: Date,
    before: string,
  ): RetentionLine => ({
    rule,
    what,
    count,
    action,
    cutoff: cutoff.toISOString(),
    why: `${kept(rule)}; ${before}`,
  });
  const account = (what: string, count: number) =>
    line(
      'account-data',
      what,
      count,
      'delete',
      c.accountData,
      `ended before ${c.accountData.toISOString()}`,
    );
  return {
    now: now.toISOString(),
    applied,
    lines: [
      line(
        'telemetry-raw',
        'telemetry events',
        n.raw,
        'fold into daily aggregates, then delete',
        c.telemetryRaw,
        `device time before ${day(c.telemetryRaw)}`,
      ),
      line(
        'telemetry-aggregates',
        'daily aggregates (device-days)',
        n.aggregates,
        'delete',
        c.telemetryAggregates,
        `days before ${day(c.telemetryAggregates)}`,
      ),
      account('sessions', n.sessions),
      account('receipts', n.receipts),
      account('accounts', n.accounts),
      ...n.vaults.map(([region, count]) => account(`vault records (${region})`, count)),
      line(
        'audit',
        'audit records',
        n.audit,
        'delete, behind an anchor record',
        c.audit,
        `written before ${c.audit.toISOString()}`,
      ),
    ],
  };
}
