/** Loss-prevention alerts: a cart left without paying, or an item's weight did not match. */
export const ALERT_KINDS = ['exit-without-pay', 'weight-mismatch'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface NewAlert {
  readonly storeId: string;
  readonly deviceId: string;
  readonly sessionId: string;
  /** The device counter of the event that raised it: one alert per kind, session and event. */
  readonly counter: number;
  readonly kind: AlertKind;
  /** When it happened on the cart (ms since epoch). */
  readonly at: number;
  /** What the cart measured; never who the customer is. */
  readonly evidence: Record<string, unknown>;
}

export interface AlertView {
  readonly id: string;
  readonly storeId: string;
  readonly deviceId: string;
  readonly sessionId: string;
  readonly counter: number;
  readonly kind: AlertKind;
  readonly at: string;
  readonly evidence: Record<string, unknown>;
}

/** Where a page of alerts ended: the next page starts after this one. */
export interface AlertPageKey {
  readonly at: string;
  readonly id: string;
}

/** A store's alerts, newest first. */
export interface StoreAlertQuery {
  /** At or after (ms since epoch). */
  readonly since?: number;
  readonly kind?: AlertKind;
  readonly limit: number;
  readonly after?: AlertPageKey;
}

export interface AlertPage {
  readonly alerts: AlertView[];
  /** Null on the last page. */
  readonly next: AlertPageKey | null;
}
