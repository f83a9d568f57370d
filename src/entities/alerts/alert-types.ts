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

/** open → acknowledged → resolved; an open alert may also be resolved at once. */
export const ALERT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export interface AlertView {
  readonly id: string;
  readonly storeId: string;
  readonly deviceId: string;
  readonly sessionId: string;
  readonly counter: number;
  readonly kind: AlertKind;
  readonly at: string;
  readonly evidence: Record<string, unknown>;
  readonly state: AlertState;
  /** Who acknowledged it (`role:subject`) and when; null until someone did. */
  readonly acknowledgedBy: string | null;
  readonly acknowledgedAt: string | null;
  readonly resolvedBy: string | null;
  readonly resolvedAt: string | null;
}

/** A change of an alert's state by a person. */
export interface AlertTransition {
  readonly to: Exclude<AlertState, 'open'>;
  /** `role:subject` of who made it. */
  readonly by: string;
  /** ms since epoch. */
  readonly at: number;
}

/**
 * What a transition did: the alert as it now stands, or why nothing changed: no such alert, or
 * its state does not allow the change (then `alert` is the alert as it stands).
 */
export type AlertTransitionResult =
  | { readonly ok: true; readonly alert: AlertView }
  | { readonly ok: false; readonly reason: 'unknown-alert' }
  | { readonly ok: false; readonly reason: 'state'; readonly alert: AlertView };

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
  readonly state?: AlertState;
  readonly limit: number;
  readonly after?: AlertPageKey;
}

export interface AlertPage {
  readonly alerts: AlertView[];
  /** Null on the last page. */
  readonly next: AlertPageKey | null;
}
