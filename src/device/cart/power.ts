/**
 * The cart's pack as its firmware's fuel gauge sees it. The pack, the currents per state and the
 * shift profile live in the shared power model (`src/device/power/`), which the budget calculator
 * reads too; this file integrates them over simulated-time durations (never timer ticks, which are
 * coarse at high simulation speed) and maps charge to voltage.
 */
import { drawAh, HOUR_MS } from '../power/charge.js';
import {
  CURRENT_A,
  PACK_CAPACITY_AH,
  type PowerSegment,
  type PowerState,
} from '../power/cart-pack.js';

export {
  CURRENT_A,
  DOCK_CHARGE_A,
  PACK_CAPACITY_AH,
  POWER_STATES,
  SHIFT_HOUR,
  SHIFT_PROFILE,
  type PowerSegment,
  type PowerState,
} from '../power/cart-pack.js';

export const CUTOFF_MV = 6400;
export const FULL_MV = 8400;
/** Below this the display asks the customer to move to another cart. */
export const BATTERY_WARNING_PCT = 10;

/** Ampere-hours a list of (state, duration) draws; negative when it charges. Pure. */
export function expectedDrawAh(segments: readonly PowerSegment[]): number {
  return segments.reduce((sum, s) => sum + drawAh(CURRENT_A[s.state], s.durationMs), 0);
}

/** Average current of a profile, in amperes. */
export function averageCurrentA(segments: readonly PowerSegment[]): number {
  const ms = segments.reduce((sum, s) => sum + s.durationMs, 0);
  return ms === 0 ? 0 : (expectedDrawAh(segments) * HOUR_MS) / ms;
}

/** State of charge (%) after a profile starting from `startPct`, clamped to 0–100. */
export function expectedPct(segments: readonly PowerSegment[], startPct = 100): number {
  const ah = (startPct / 100) * PACK_CAPACITY_AH - expectedDrawAh(segments);
  return clampPct((ah / PACK_CAPACITY_AH) * 100);
}

/**
 * Open-circuit voltage of the 2S pack by state of charge (% → mV): the flat middle and steep
 * ends of a Li-ion curve, 3.2–4.2 V per cell.
 */
const OCV_CURVE: readonly (readonly [number, number])[] = [
  [0, 6400],
  [5, 6800],
  [10, 7000],
  [20, 7300],
  [30, 7450],
  [40, 7550],
  [50, 7650],
  [60, 7750],
  [70, 7900],
  [80, 8050],
  [90, 8200],
  [100, 8400],
];

export function openCircuitMv(pct: number): number {
  const p = clampPct(pct);
  for (let i = 1; i < OCV_CURVE.length; i++) {
    const [p1, v1] = OCV_CURVE[i]!;
    if (p <= p1) {
      const [p0, v0] = OCV_CURVE[i - 1]!;
      return Math.round(v0 + ((v1 - v0) * (p - p0)) / (p1 - p0));
    }
  }
  return FULL_MV;
}

/**
 * The pack as the firmware's fuel gauge sees it: a state that draws a current until the next
 * change, short bursts (a read, an LTE-M transmit) on top, charge integrated at each change.
 */
export class Battery {
  #ah: number;
  #state: PowerState = 'idle';
  #since: number;
  readonly #log: PowerSegment[] = [];

  constructor(now: number, startPct = 100) {
    this.#ah = (clampPct(startPct) / 100) * PACK_CAPACITY_AH;
    this.#since = now;
  }

  get state(): PowerState {
    return this.#state;
  }

  /** What was drawn so far as (state, duration): the cart checked against `expectedDrawAh`. */
  get log(): readonly PowerSegment[] {
    return this.#log;
  }

  /** Integrates the current state up to `now` and switches to `state`. */
  setState(state: PowerState, now: number): void {
    this.#settle(now);
    this.#state = state;
  }

  /**
   * A burst of `durationMs` in `state` inside the current one: charge is moved from the base
   * state to the burst's, so the total is what a segment list with the burst would say.
   */
  burst(state: PowerState, durationMs: number, now: number): void {
    this.#settle(now);
    const ms = Math.max(0, durationMs);
    this.#spend(state, ms);
    this.#spend(this.#state, -ms);
  }

  pct(now: number): number {
    this.#settle(now);
    return clampPct((this.#ah / PACK_CAPACITY_AH) * 100);
  }

  mv(now: number): number {
    return openCircuitMv(this.pct(now));
  }

  /** Sets the charge directly (a swapped pack, a test drain); the log starts over. */
  reset(pct: number, now: number): void {
    this.#settle(now);
    this.#ah = (clampPct(pct) / 100) * PACK_CAPACITY_AH;
    this.#log.length = 0;
  }

  /** Simulated ms until the charge falls to `pct` in the current state; Infinity if never. */
  msUntil(pct: number, now: number): number {
    const current = CURRENT_A[this.#state];
    const above = this.pct(now) - pct;
    if (above <= 0) return 0;
    if (current <= 0) return Infinity;
    return ((above / 100) * PACK_CAPACITY_AH * HOUR_MS) / current;
  }

  #settle(now: number): void {
    const ms = Math.max(0, now - this.#since);
    this.#since = Math.max(this.#since, now);
    if (ms > 0) this.#spend(this.#state, ms);
  }

  #spend(state: PowerState, ms: number): void {
    if (ms === 0) return;
    this.#ah = Math.min(PACK_CAPACITY_AH, Math.max(0, this.#ah - drawAh(CURRENT_A[state], ms)));
    const last = this.#log.at(-1);
    if (last && last.state === state) {
      this.#log[this.#log.length - 1] = { state, durationMs: last.durationMs + ms };
    } else this.#log.push({ state, durationMs: ms });
  }
}

function clampPct(pct: number): number {
  return Math.min(100, Math.max(0, pct));
}
