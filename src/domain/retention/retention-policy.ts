/**
 * The retention policy of the PRD's data tiers (issue 22, decision 063), in one table: what is
 * kept, for how many calendar months, counted from when, and what happens then. The plan, the
 * job, the decision and the README all quote this table; change a number here and nowhere else.
 */
export type RetentionRule = 'telemetry-raw' | 'telemetry-aggregates' | 'account-data' | 'audit';

export interface RetentionTier {
  readonly rule: RetentionRule;
  readonly tier: string;
  readonly data: string;
  /** Calendar months, so "18 months" means the same day 18 months on, not 548 days. */
  readonly keepMonths: number;
  readonly from: string;
  readonly then: string;
  /** The rule in a few words around its span ('18 months'), for the report's "why". */
  readonly says: (span: string) => string;
}

export const RETENTION_POLICY: readonly RetentionTier[] = [
  {
    rule: 'telemetry-raw',
    tier: 'tier 1',
    data: 'telemetry events',
    keepMonths: 18,
    from: 'the UTC day of the device time',
    then: 'aggregated per device, UTC day, type and numeric field (count, min, max, mean); raw deleted',
    says: (span) => `tier 1: ${span} hot`,
  },
  {
    rule: 'telemetry-aggregates',
    tier: 'tier 1',
    data: 'daily telemetry aggregates',
    keepMonths: 60,
    from: 'the UTC day aggregated',
    then: 'deleted',
    says: (span) => `tier 1: aggregates kept ${span}`,
  },
  {
    rule: 'account-data',
    tier: 'tiers 2 and 3',
    data: 'sessions (scans, payments, checkouts), receipts, vault PII, deleted accounts',
    keepMonths: 84,
    from: "the account's end (its deletion); a session without an account: its end",
    then: 'deleted',
    says: (span) => `account life + ${span}`,
  },
  {
    rule: 'audit',
    tier: 'audit',
    data: 'audit records',
    keepMonths: 84,
    from: 'when the record was written',
    then: 'deleted from the start of the chain; an anchor record keeps the chain verifiable',
    says: (span) => `audit: kept ${span} after written`,
  },
];

/** '18 months', '5 years'. */
export function span(months: number): string {
  return months % 12 === 0 ? `${months / 12} years` : `${months} months`;
}

export function tierOf(rule: RetentionRule): RetentionTier {
  const tier = RETENTION_POLICY.find((t) => t.rule === rule);
  if (!tier) throw new Error(`no retention tier for ${rule}`);
  return tier;
}

/** The instants before which each rule's data is due, for a clock reading `now`. */
export interface RetentionCutoffs {
  readonly now: Date;
  /** Telemetry with device time before this (a UTC midnight, so days fold whole). */
  readonly telemetryRaw: Date;
  /** Aggregates of UTC days before this (a UTC midnight). */
  readonly telemetryAggregates: Date;
  /** Accounts deleted, and account-less sessions ended, before this. */
  readonly accountData: Date;
  /** Audit records written before this. */
  readonly audit: Date;
}

export function retentionCutoffs(now: Date): RetentionCutoffs {
  const back = (rule: RetentionRule) => monthsBefore(now, tierOf(rule).keepMonths);
  return {
    now,
    telemetryRaw: startOfUtcDay(back('telemetry-raw')),
    telemetryAggregates: startOfUtcDay(back('telemetry-aggregates')),
    accountData: back('account-data'),
    audit: back('audit'),
  };
}

/**
 * The same UTC time of day `months` calendar months earlier; a day the earlier month lacks is
 * clamped to its last day (31 August less 18 months is 28 February; 29 February 2032 less 7
 * years is 28 February 2025), so the cutoff never runs into the next month.
 */
export function monthsBefore(at: Date, months: number): Date {
  if (!Number.isInteger(months) || months < 0) throw new RangeError('months: a whole number ≥ 0');
  const total = at.getUTCFullYear() * 12 + at.getUTCMonth() - months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(at.getUTCDate(), lastDay);
  const out = new Date(at.getTime());
  out.setUTCFullYear(year, month, day);
  return out;
}

export function startOfUtcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}
