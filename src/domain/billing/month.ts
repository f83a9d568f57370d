/** A calendar month in UTC: YYYY-MM. */
export const MONTH_PATTERN = '^[0-9]{4}-(0[1-9]|1[0-2])$';

export interface BillingMonth {
  readonly month: string;
  /** First instant of the month, ms since epoch (UTC). */
  readonly from: number;
  /** First instant of the next month. */
  readonly to: number;
  readonly days: number;
}

/** The month's bounds; the caller has checked `month` against MONTH_PATTERN. */
export function billingMonth(month: string): BillingMonth {
  const year = Number(month.slice(0, 4));
  const index = Number(month.slice(5, 7)) - 1;
  const from = Date.UTC(year, index, 1);
  const to = Date.UTC(year, index + 1, 1);
  return { month, from, to, days: Math.round((to - from) / 86_400_000) };
}
