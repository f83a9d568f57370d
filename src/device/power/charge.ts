/**
 * The one power model every device class and the battery-life calculator share: a cell, and a
 * duty cycle made of states (a current held for a time) and events (a charge spent some number of
 * times) over a period. Amperes, ampere-hours and milliseconds throughout; each device keeps its
 * own figures (its data sheets) and converts them once, here they only add up.
 */

export const HOUR_MS = 3_600_000;
/** Julian year: what the cold-chain budget has always used for "a year". */
export const YEAR_HOURS = 365.25 * 24;

export interface Cell {
  /** Rated capacity, Ah. */
  readonly capacityAh: number;
  /** Share of the rating the device can use before its cutoff (cold, pulse load, BMS margin). */
  readonly usableFraction: number;
  /** Share of the rating lost per year on the shelf. */
  readonly selfDischargePerYear: number;
}

/** A current held for a time within the period. */
export interface StateLoad {
  readonly state: string;
  readonly currentA: number;
  readonly durationMs: number;
}

/** A charge spent `count` times within the period, on top of the states (a burst, a report). */
export interface EventLoad {
  readonly event: string;
  /** Ampere-seconds per occurrence. */
  readonly chargeAs: number;
  readonly count: number;
}

/** What a device does over one period, repeated for as long as the battery lasts. */
export interface DutyCycle {
  readonly periodMs: number;
  readonly states: readonly StateLoad[];
  readonly events: readonly EventLoad[];
}

/** Ampere-hours a current draws over `ms`: the one integration step every model uses. */
export function drawAh(currentA: number, ms: number): number {
  return (currentA * ms) / HOUR_MS;
}

/** Ampere-hours one period of the duty cycle draws; negative when it charges. */
export function cycleDrawAh(cycle: DutyCycle): number {
  const states = cycle.states.reduce((sum, s) => sum + drawAh(s.currentA, s.durationMs), 0);
  const events = cycle.events.reduce((sum, e) => sum + (e.count * e.chargeAs) / 3600, 0);
  return states + events;
}

/** Average current over the period, A. */
export function averageCurrentA(cycle: DutyCycle): number {
  if (!(cycle.periodMs > 0)) throw new RangeError(`period must be positive: ${cycle.periodMs}`);
  return (cycleDrawAh(cycle) * HOUR_MS) / cycle.periodMs;
}

/** Share of the period spent in the named states (the "duty cycle" a PRD quotes). */
export function stateShare(cycle: DutyCycle, states: readonly string[]): number {
  const ms = cycle.states
    .filter((s) => states.includes(s.state))
    .reduce((sum, s) => sum + s.durationMs, 0);
  return ms / cycle.periodMs;
}

/** The charge the device can use from a full cell, Ah. */
export function usableAh(cell: Cell): number {
  return cell.capacityAh * cell.usableFraction;
}

/** Self-discharge as a steady current, A. */
export function selfDischargeA(cell: Cell): number {
  return (cell.capacityAh * cell.selfDischargePerYear) / YEAR_HOURS;
}

/** Hours a full cell lasts at this average current, self-discharge included; Infinity at none. */
export function lifeHours(cell: Cell, averageA: number): number {
  const total = averageA + selfDischargeA(cell);
  return total > 0 ? usableAh(cell) / total : Infinity;
}

/** The same cell with another rated capacity (a bigger pack, a smaller cell). */
export function withCapacityMah(cell: Cell, mah: number): Cell {
  return { ...cell, capacityAh: mah / 1000 };
}
