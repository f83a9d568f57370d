import type { SessionLine } from '../../contract/index.js';

export type DisplayWarning =
  | 'battery-swap'
  | 'tap-card-to-transfer'
  | 'use-store-terminal'
  | 'price-at-checkout'
  | 'scanner-jammed'
  | 'weight-check'
  | 'offline'
  | 'payment-declined'
  | 'cloud-rejected';

export type DisplayScreen =
  'welcome' | 'shopping' | 'paused' | 'thank-you' | 'off' | 'parked' | 'maintenance';

/** What the 7-inch panel shows, as data: the tests' window on the customer's view. */
export interface DisplayView {
  readonly screen: DisplayScreen;
  /** "Hello, Ana" for a known customer the cloud named, else a generic greeting. */
  readonly greeting: string;
  readonly lines: readonly SessionLine[];
  readonly totalCents: number;
  readonly currency: string;
  readonly lastItem?: string;
  readonly warnings: readonly DisplayWarning[];
  /** Messages the cloud refused, counted for staff. */
  readonly rejected: number;
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

  /** Between customers: the basket and greeting go, counters stay. */
  reset(screen: DisplayScreen): void {
    this.show({
      screen,
      greeting: GENERIC_GREETING,
      lines: [],
      totalCents: 0,
      warnings: this.#view.warnings.filter((w) => w === 'offline'),
    });
  }
}
