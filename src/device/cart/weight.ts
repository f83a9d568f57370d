import { normal, type Random } from '../random.js';

/** The PRD's platform: 0–30 kg, ±20 g. */
export const WEIGHT_TOLERANCE_G = 20;
export const MAX_PLATFORM_G = 30_000;

export type WeightCheck = 'match' | 'mismatch' | 'not-checked';

export interface WeightReading {
  readonly deltaG: number;
  readonly expectedG?: number;
  readonly check: WeightCheck;
}

/** Measured against expected within the tolerance; no expected weight means no check. */
export function checkWeight(deltaG: number, expectedG: number | undefined): WeightCheck {
  if (expectedG === undefined) return 'not-checked';
  return Math.abs(deltaG - expectedG) <= WEIGHT_TOLERANCE_G ? 'match' : 'mismatch';
}

/**
 * The weight platform under the basket. It reports the change when something is put in or taken
 * out, with a few grams of noise, a miscalibration offset (injected) and a slow drift that health
 * reports as weight_drift_g. A mismatch is only flagged: it never blocks the customer.
 */
export class WeightPlatform {
  #offsetG = 0;
  #loadG = 0;
  #calibratedAt: number;

  constructor(
    private readonly random: Random,
    now: number,
    /** Grams of drift per simulated hour since the last calibration. */
    private readonly driftGPerHour = 0.5,
  ) {
    this.#calibratedAt = now;
  }

  miscalibrate(offsetG: number): void {
    this.#offsetG = offsetG;
  }

  /** Zeroes the platform (at the dock, between customers): drift and offset are gone. */
  calibrate(now: number): void {
    this.#offsetG = 0;
    this.#calibratedAt = now;
    this.#loadG = 0;
  }

  driftG(now: number): number {
    const hours = Math.max(0, now - this.#calibratedAt) / 3_600_000;
    return Math.round((this.#offsetG + hours * this.driftGPerHour) * 10) / 10;
  }

  /** The basket changed by `actualG` (negative: taken out); what the platform reports. */
  measure(actualG: number, expectedG: number | undefined, now: number): WeightReading {
    this.#loadG = Math.min(MAX_PLATFORM_G, Math.max(0, this.#loadG + actualG));
    const noise = normal(this.random) * 4;
    const deltaG = clampDelta(Math.round(actualG + noise + this.driftG(now)));
    const signedExpected =
      expectedG === undefined ? undefined : Math.sign(actualG || 1) * expectedG;
    return {
      deltaG,
      ...(expectedG !== undefined ? { expectedG } : {}),
      check: checkWeight(deltaG, signedExpected),
    };
  }

  get loadG(): number {
    return this.#loadG;
  }
}

function clampDelta(g: number): number {
  return Math.min(MAX_PLATFORM_G, Math.max(-MAX_PLATFORM_G, g));
}
