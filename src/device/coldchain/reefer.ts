import type { Random } from '../random.js';
import { diurnalAmbientC, stepAir, type CargoAir, type ReeferConditions } from './thermal-model.js';

/** Longest step the integration takes while the outside air changes with the time of day. */
const MAX_STEP_MS = 60_000;

export interface ReeferOptions {
  /** Simulated ms at which the trip starts. */
  readonly start: number;
  readonly setPointC: number;
  readonly ambientMeanC: number;
  readonly ambientSwingC?: number;
  readonly ambientHumidityPct?: number;
}

/**
 * One refrigerated container on its trip: the simulated world a cold-chain sensor reads. Door
 * openings, a failing unit and knocks are events set at the current simulated time; the cargo air
 * is integrated piecewise between them with the thermal model, so the same events at the same
 * times give the same temperatures.
 */
export class Reefer {
  #at: number;
  #air: CargoAir;
  #doorOpen = false;
  #failed = false;
  #peakShockG = 0;

  constructor(private readonly options: ReeferOptions) {
    this.#at = options.start;
    this.#air = { temperatureC: options.setPointC, humidityPct: 90 };
  }

  get doorOpen(): boolean {
    return this.#doorOpen;
  }

  get failed(): boolean {
    return this.#failed;
  }

  conditions(atMs: number): ReeferConditions {
    const o = this.options;
    return {
      ambientC: diurnalAmbientC(o.ambientMeanC, o.ambientSwingC ?? 6, atMs),
      ambientHumidityPct: o.ambientHumidityPct ?? 60,
      setPointC: o.setPointC,
      doorOpen: this.#doorOpen,
      reeferFailed: this.#failed,
    };
  }

  /** The cargo air at `atMs` (not before the last event: time does not run backwards). */
  airAt(atMs: number): CargoAir {
    while (this.#at < atMs) {
      const step = Math.min(MAX_STEP_MS, atMs - this.#at);
      this.#air = stepAir(this.#air, this.conditions(this.#at), step);
      this.#at += step;
    }
    return this.#air;
  }

  setDoor(open: boolean, atMs: number): void {
    this.airAt(atMs);
    this.#doorOpen = open;
  }

  setFailed(failed: boolean, atMs: number): void {
    this.airAt(atMs);
    this.#failed = failed;
  }

  /** A knock (a drop at loading, a forklift): the sensor's next reading reports the peak. */
  shock(g: number): void {
    this.#peakShockG = Math.max(this.#peakShockG, g);
  }

  /** The peak since the last reading, or road vibration (0.02–0.3 g) when nothing happened. */
  takeShockG(random: Random): number {
    const peak = this.#peakShockG;
    this.#peakShockG = 0;
    return peak > 0 ? peak : 0.02 + random() * 0.28;
  }
}
