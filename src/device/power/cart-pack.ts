/**
 * The cart's 7.4 V 7.8 Ah 2S Li-ion pack and what each state of its firmware draws: the figures
 * the cart model (`src/device/cart/power.ts`) integrates and the budget calculator averages.
 *
 * The PRD budgets 0.4 A on average over a 12-hour shift with a 0.1 A deep-sleep floor; the other
 * currents are chosen so the shift hour below averages exactly that.
 */
import type { Cell, DutyCycle, StateLoad } from './charge.js';

export const PACK_CAPACITY_AH = 7.8;

/**
 * The pack as a cell: the fuel gauge's 0 % is the BMS cutoff (6.4 V), so all of the rating is
 * usable; self-discharge (a few % a month) is nothing over a shift and is left out.
 */
export const CART_PACK: Cell = {
  capacityAh: PACK_CAPACITY_AH,
  usableFraction: 1,
  selfDischargePerYear: 0,
};

export const POWER_STATES = [
  'deep-sleep',
  'idle',
  'shopping',
  'scan-burst',
  'lte-transmit',
  'charging',
] as const;
export type PowerState = (typeof POWER_STATES)[number];

/** The dock's charger. */
export const DOCK_CHARGE_A = 2;

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

const MIN = 60_000;
const HOUR_MS = 60 * MIN;
export const SHIFT_HOURS = 12;

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
export const SHIFT_PROFILE: readonly PowerSegment[] = Array.from({ length: SHIFT_HOURS }, () => [
  ...SHIFT_HOUR,
]).flat();

/** The states in which a customer is using the cart: the cart's duty cycle. */
export const CART_ACTIVE_STATES: readonly PowerState[] = ['shopping', 'scan-burst'];

/** Segments as the shared model's state loads. */
export function cartLoads(segments: readonly PowerSegment[]): StateLoad[] {
  return segments.map((s) => ({
    state: s.state,
    currentA: CURRENT_A[s.state],
    durationMs: s.durationMs,
  }));
}

/**
 * One hour of the shift with a customer shopping `activeShare` of it (the PRD's hour: 26/60).
 * Reads keep their share of the trip (0.5 of 26 minutes) and the rest of the hour keeps the
 * dock's split (22 awake : 12 asleep), so only the duty cycle moves.
 */
export function cartShiftHour(activeShare?: number): readonly PowerSegment[] {
  if (activeShare === undefined) return SHIFT_HOUR;
  if (!(activeShare >= 0 && activeShare <= 1)) {
    throw new RangeError(`active share must be within 0–1: ${activeShare}`);
  }
  const active = activeShare * HOUR_MS;
  const rest = HOUR_MS - active;
  return [
    { state: 'shopping', durationMs: (active * 25.5) / 26 },
    { state: 'scan-burst', durationMs: (active * 0.5) / 26 },
    { state: 'idle', durationMs: (rest * 22) / 34 },
    { state: 'deep-sleep', durationMs: (rest * 12) / 34 },
  ];
}

/** The cart's duty cycle as the shared model sees it: one shift hour, repeated. */
export function cartDutyCycle(activeShare?: number): DutyCycle {
  return { periodMs: HOUR_MS, states: cartLoads(cartShiftHour(activeShare)), events: [] };
}
