/**
 * The cost model's table as the billing view shows it (GET /v1/billing/cost, decision 061): the
 * same figures as `fleetplane cost`, formatted here so a test can read exactly what ops sees.
 */

export interface CostLine {
  readonly item: string;
  readonly usage: string;
  readonly unitPrice: string;
  readonly perMonthUsd: number;
  readonly perCartMonthUsd: number;
  readonly fixed: boolean;
}

export interface CostModel {
  readonly carts: number;
  readonly prices: { readonly id: string; readonly asOf: string; readonly region: string };
  readonly usage: {
    readonly messagesPerMonth: number;
    readonly messagesPerDay: number;
    readonly storedBytesPerMonth: number;
    readonly heldBytes: number;
    readonly cpuSecondsPerMonth: number;
  };
  readonly deployments: readonly {
    readonly deployment: 'self-hosted' | 'aws';
    readonly lines: readonly CostLine[];
    readonly perMonthUsd: number;
    readonly perCartMonthUsd: number;
  }[];
  readonly seed: {
    readonly scaleCarts: number;
    readonly perCartMonthUsd: number;
    readonly cloudPerCartMonthUsd: number;
  };
}

export interface CostRow {
  readonly item: string;
  readonly usage: string;
  readonly unitPrice: string;
  readonly perMonth: string;
  readonly perCartMonth: string;
}

export interface CostSection {
  readonly title: string;
  readonly rows: readonly CostRow[];
  readonly total: CostRow;
}

const TITLES = { 'self-hosted': 'Self-hosted', aws: 'AWS' } as const;

/** US dollars with a fixed number of places: per cart-month figures are fractions of a cent. */
export function formatUsd(value: number, places: number, locale = 'en'): string {
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: places,
    maximumFractionDigits: places,
  }).format(value);
}

/** One section per deployment, a row per line item (fixed ones marked) and a total. */
export function costSections(model: CostModel, locale = 'en'): CostSection[] {
  const money = (perMonth: number, perCartMonth: number) => ({
    perMonth: formatUsd(perMonth, 2, locale),
    perCartMonth: formatUsd(perCartMonth, 4, locale),
  });
  return model.deployments.map((d) => ({
    title: TITLES[d.deployment],
    rows: d.lines.map((l) => ({
      item: l.fixed ? `${l.item} (fixed)` : l.item,
      usage: l.usage,
      unitPrice: l.unitPrice,
      ...money(l.perMonthUsd, l.perCartMonthUsd),
    })),
    total: { item: 'Total', usage: '', unitPrice: '', ...money(d.perMonthUsd, d.perCartMonthUsd) },
  }));
}

/** The three figures side by side: self-hosted and AWS at N carts, the seed at its own scale. */
export function costComparison(
  model: CostModel,
  locale = 'en',
): { label: string; perCartMonth: string; note: string }[] {
  const carts = new Intl.NumberFormat(locale).format(model.carts);
  const at = (d: 'self-hosted' | 'aws') =>
    formatUsd(model.deployments.find((x) => x.deployment === d)?.perCartMonthUsd ?? 0, 4, locale);
  const seed = model.seed;
  return [
    { label: 'Self-hosted', perCartMonth: at('self-hosted'), note: `at ${carts} carts` },
    { label: 'AWS', perCartMonth: at('aws'), note: `at ${carts} carts` },
    {
      label: 'Seed (PRD)',
      perCartMonth: formatUsd(seed.perCartMonthUsd, 4, locale),
      note: `at ${new Intl.NumberFormat(locale).format(seed.scaleCarts)} carts; ${formatUsd(seed.cloudPerCartMonthUsd, 4, locale)} without the LTE-M data plan`,
    },
  ];
}

/** `?carts=` from the input box: a whole number from 1 to 10,000,000, or null (not asked). */
export function cartsQuery(text: string): number | null {
  if (!/^[0-9]{1,8}$/.test(text.trim())) return null;
  const n = Number(text.trim());
  return n >= 1 && n <= 10_000_000 ? n : null;
}
