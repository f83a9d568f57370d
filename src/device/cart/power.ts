/**
 * The cart's 7.4 V 7.8 Ah 2S Li-ion pack and what each state of the firmware draws from it.
 *
 * The PRD budgets 0.4 A on average over a 12-hour shift (4.8 Ah, leaving 38.5 %) with a 0.1 A
 * deep-sleep floor; the other currents are chosen so the shift profile below averages exactly
 * that. Charge is integrated from simulated-time durations (never from timer ticks, which are
 * coarse at high simulation speed).
 */

export const PACK_CAPACITY_AH = 7.8;
export const CUTOFF_MV = 6400;
export const FULL_MV = 8400;
/** Below this the display asks the customer to move to another cart. */
export const BATTERY_WARNING_PCT = 10;
/** The dock's charger. */
export const DOCK_CHARGE_A = 2;

export const POWER_STATES = [
  'deep-sleep',
  'idle',
  'shopping',
  'scan-burst',
  'lte-transmit',
  'charging',
] as const;
export type PowerState = (typeof POWER_STATES)[number];

/** Amperes drawn from the pack in each state (negative: the pack is being charged). */
export const CURRENT_A: Readonly<Record<PowerState, number>> = {
  /** The PRD's figure: MCU in deep sleep, radios off, RTC and BMS awake. */
  'deep-sleep': 0.1,
  /** Awake at the dock or parked in an aisle: display dimmed, WiFi listening. */
  idle: 0.3,
  /** A customer is shopping: display lit, weight platform and NFC powered. */
  shopping: 0.6,
  /** The imager's illumination and decoder during a read (~500 ms). */
  'scan-burst': 1.8,
  /** The LTE-M module transmitting one publish. */
  'lte-transmit': 0.9,
  /** Docked: the charger's 2 A minus what the awake cart uses is net; modelled as 2 A in. */
  charging: -DOCK_CHARGE_A,
};

export interface PowerSegment {
  readonly state: PowerState;
  readonly durationMs: number;
}

const HOUR_MS = 3_600_000;
const MIN = 60_000;

/**
 * One hour of a realistic shift: a 26-minute shopping trip (60 reads of 0.5 s each inside it),
 * 22 minutes awake at the dock, 12 minutes asleep. Twelve of these average 0.4 A.
 */
export const SHIFT_HOUR: readonly PowerSegment[] = [
  { state: 'shopping', durationMs: 25.5 * MIN },
  { state: 'scan-burst', durationMs: 0.5 * MIN },
  { state: 'idle', durationMs: 22 * MIN },
  { state: 'deep-sleep', durationMs: 12 * MIN },
];
export const SHIFT_PROFILE: readonly PowerSegment[] = Array.from({ length: 12 }, () => [
  ...SHIFT_HOUR,
]).flat();

/** Ampere-hours a list of (state, duration) draws; negative when it charges. Pure. */
export function expectedDrawAh(segments: readonly PowerSegment[]): number {
  return segments.reduce((sum, s) => sum + (CURRENT_A[s.state] * s.durationMs) / HOUR_MS, 0);
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
    this.#ah = Math.min(
      PACK_CAPACITY_AH,
      Math.max(0, this.#ah - (CURRENT_A[state] * ms) / HOUR_MS),
    );
    const last = this.#log.at(-1);
    if (last && last.state === state) {
      this.#log[this.#log.length - 1] = { state, durationMs: last.durationMs + ms };
    } else this.#log.push({ state, durationMs: ms });
  }
}

function clampPct(pct: number): number {
  return Math.min(100, Math.max(0, pct));
}
