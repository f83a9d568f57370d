/**
 * What the operator charges and what the cloud costs per unit of use. Configured, never measured:
 * the billing report says so next to each figure. Money is in cents of `currency`.
 */
export interface BillingConfig {
  /** The price of one cart for one whole month. */
  readonly pricePerCartMonthCents: number;
  readonly currency: string;
  /** What a million device messages cost to carry and ingest. */
  readonly perMillionMessagesCents: number;
  /** What a gigabyte (10^9 bytes) of stored telemetry costs for a month. */
  readonly perGbMonthCents: number;
}

/**
 * Defaults, stated in decision 019. The price is the product's list price per cart-month. The
 * unit costs are order-of-magnitude cloud list prices: about 1 USD per million messages (a managed
 * MQTT broker's messaging charge) and 0.10 USD per GB-month (block storage; object storage is
 * cheaper). A deployment replaces them with its own.
 */
export const DEFAULT_BILLING: BillingConfig = {
  pricePerCartMonthCents: 2500,
  currency: 'USD',
  perMillionMessagesCents: 100,
  perGbMonthCents: 10,
};

export function billingConfig(overrides: Partial<BillingConfig> = {}): BillingConfig {
  return { ...DEFAULT_BILLING, ...overrides };
}
