import type { SessionLine } from '../../contract/index.js';
import type { ProximityCode } from './proximity.js';
import type { ListMark } from './shopping-list.js';

export type DisplayWarning =
  | 'battery-swap'
  | 'tap-card-to-transfer'
  | 'use-store-terminal'
  | 'price-at-checkout'
  | 'scanner-jammed'
  | 'weight-check'
  | 'offline'
  | 'payment-declined'
  | 'cloud-rejected'
  /** A tap the cart could not identify: it has no seal key, so the customer shops as a guest. */
  | 'identify-unavailable'
  /** The platform did not accept a payment the terminal authorized: staff settle it. */
  | 'see-staff';

export type DisplayScreen =
  'welcome' | 'shopping' | 'paused' | 'thank-you' | 'receipt' | 'off' | 'parked' | 'maintenance';

/** What the 7-inch panel shows, as data: the tests' window on the customer's view. */
export interface DisplayView {
  readonly screen: DisplayScreen;
  /** "Hello, Ana" for a known customer the cloud named, else a generic greeting. */
  readonly greeting: string;
  readonly lines: readonly SessionLine[];
  readonly totalCents: number;
  readonly currency: string;
  readonly lastItem?: string;
  /** The pre-shop list, ticked as its items reach the basket; empty without one. */
  readonly list: readonly ListMark[];
  /** On the receipt screen: the platform's receipt for the paid checkout. */
  readonly receiptId?: string;
  readonly warnings: readonly DisplayWarning[];
  /** Messages the cloud refused, counted for staff. */
  readonly rejected: number;
  /** A proximity proof shown as a QR code for a staff tablet, until a new one or the next customer. */
  readonly proximityCode?: ProximityCode;
}

export const GENERIC_GREETING = 'Welcome';
export const RETURNING_GREETING = 'Welcome back';

/**
 * The display. Firmware sets what it shows; `updates` counts redraws so a test can tell a scan
 * reached the screen. Nothing here is written to flash: the greeting may hold a first name.
 */
export class Display {
  #view: DisplayView;
  #updates = 0;

  constructor(currency: string) {
    this.#view = {
      screen: 'welcome',
      greeting: GENERIC_GREETING,
      lines: [],
      totalCents: 0,
      currency,
      list: [],
      warnings: [],
      rejected: 0,
    };
  }

  get view(): DisplayView {
    return this.#view;
  }

  get updates(): number {
    return this.#updates;
  }

  show(patch: Partial<DisplayView>): void {
    this.#view = { ...this.#view, ...patch };
    this.#updates++;
  }

  warn(warning: DisplayWarning): void {
    if (this.#view.warnings.includes(warning)) return;
    this.show({ warnings: [...this.#view.warnings, warning] });
  }

  clearWarning(warning: DisplayWarning): void {
    if (!this.#view.warnings.includes(warning)) return;
    this.show({ warnings: this.#view.warnings.filter((w) => w !== warning) });
  }

  /** Between customers: the basket, list, receipt and greeting go, counters stay. */
  reset(screen: DisplayScreen): void {
    const { currency, rejected, warnings } = this.#view;
    this.#view = {
      screen,
      currency,
      rejected,
      greeting: GENERIC_GREETING,
      lines: [],
      list: [],
      totalCents: 0,
      warnings: warnings.filter((w) => w === 'offline'),
    };
    this.#updates++;
  }
}
