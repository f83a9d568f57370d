import type { DeviceUsage } from '../../stores/telemetry/telemetry-store.js';
import type { BillingConfig } from './billing-config.js';
import type { BillingMonth } from './month.js';

/** Measured from the telemetry store: what the store's devices sent in the month. */
export interface StoreUsage {
  /** Carts that sent anything in the month. */
  readonly carts: number;
  /** Sum over carts of the days each sent anything. */
  readonly cartDays: number;
  /** cartDays / days in the month: a cart active every day is one cart-month. */
  readonly cartMonths: number;
  /** Every message of the store's devices (carts and any others), and the bytes stored for them. */
  readonly messages: number;
  readonly storedBytes: number;
}

export interface InvoiceLine {
  readonly item: 'cart-month';
  readonly quantity: number;
  readonly unitPriceCents: number;
  readonly amountCents: number;
}

/** Measured usage priced at the configured unit costs; fractional cents, rounded to 1/100. */
export interface CloudCost {
  readonly messagesCents: number;
  readonly storageCents: number;
  readonly totalCents: number;
  readonly perCartCents: number | null;
  readonly perCartMonthCents: number | null;
}

export interface StoreBill {
  readonly storeId: string;
  readonly measured: StoreUsage;
  readonly invoice: {
    readonly lines: InvoiceLine[];
    readonly totalCents: number;
    readonly currency: string;
  };
  readonly cloudCost: CloudCost;
}

export interface BillingTotals {
  readonly carts: number;
  readonly cartMonths: number;
  readonly messages: number;
  readonly storedBytes: number;
  readonly invoiceCents: number;
  readonly cloudCostCents: number;
}

const round = (value: number, places: number) => {
  const f = 10 ** places;
  return Math.round(value * f) / f;
};

/**
 * Per store: cart-months from the days each cart sent anything, the invoice at the configured
 * price per cart-month, and what the measured messages and bytes cost at the configured unit
 * costs. Storage is charged for one month of holding the month's bytes: the bytes stay for the
 * retention period, and each later month's report would charge them again once it counts held
 * bytes rather than sent ones (decision 019).
 */
export function meterMonth(
  usage: readonly DeviceUsage[],
  month: BillingMonth,
  config: BillingConfig,
): { stores: StoreBill[]; totals: BillingTotals } {
  const byStore = new Map<string, DeviceUsage[]>();
  for (const row of usage) byStore.set(row.storeId, [...(byStore.get(row.storeId) ?? []), row]);
  const stores = [...byStore.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([storeId, rows]) => storeBill(storeId, rows, month, config));
  const sum = (pick: (bill: StoreBill) => number) => stores.reduce((n, b) => n + pick(b), 0);
  return {
    stores,
    totals: {
      carts: sum((b) => b.measured.carts),
      cartMonths: round(
        sum((b) => b.measured.cartMonths),
        3,
      ),
      messages: sum((b) => b.measured.messages),
      storedBytes: sum((b) => b.measured.storedBytes),
      invoiceCents: sum((b) => b.invoice.totalCents),
      cloudCostCents: round(
        sum((b) => b.cloudCost.totalCents),
        2,
      ),
    },
  };
}

function storeBill(
  storeId: string,
  rows: readonly DeviceUsage[],
  month: BillingMonth,
  config: BillingConfig,
): StoreBill {
  const carts = rows.filter((r) => r.deviceClass === 'cart');
  // A clock far off could put a cart's events on more days than the month has; cap at the month.
  const cartDays = carts.reduce((n, r) => n + Math.min(r.activeDays, month.days), 0);
  const cartMonths = round(cartDays / month.days, 3);
  const messages = rows.reduce((n, r) => n + r.messages, 0);
  const storedBytes = rows.reduce((n, r) => n + r.bytes, 0);
  const amountCents = Math.round(cartMonths * config.pricePerCartMonthCents);
  const messagesCents = (messages / 1e6) * config.perMillionMessagesCents;
  const storageCents = (storedBytes / 1e9) * config.perGbMonthCents;
  const total = messagesCents + storageCents;
  return {
    storeId,
    measured: { carts: carts.length, cartDays, cartMonths, messages, storedBytes },
    invoice: {
      lines:
        cartMonths > 0
          ? [
              {
                item: 'cart-month',
                quantity: cartMonths,
                unitPriceCents: config.pricePerCartMonthCents,
                amountCents,
              },
            ]
          : [],
      totalCents: cartMonths > 0 ? amountCents : 0,
      currency: config.currency,
    },
    cloudCost: {
      messagesCents: round(messagesCents, 2),
      storageCents: round(storageCents, 2),
      totalCents: round(total, 2),
      perCartCents: carts.length > 0 ? round(total / carts.length, 2) : null,
      perCartMonthCents: cartMonths > 0 ? round(total / cartMonths, 2) : null,
    },
  };
}
