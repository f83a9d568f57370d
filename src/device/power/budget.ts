/**
 * The battery-life calculator: a device class's duty cycle through the shared power model, the
 * same figures its device model runs on, so what the calculator promises is what the simulator
 * drains.
 */
import {
  averageCurrentA,
  cycleDrawAh,
  drawAh,
  lifeHours,
  stateShare,
  withCapacityMah,
  YEAR_HOURS,
  type Cell,
  type DutyCycle,
} from './charge.js';
import { CART_ACTIVE_STATES, CART_PACK, cartDutyCycle, SHIFT_HOURS } from './cart-pack.js';
import { COLDCHAIN_POWER, coldchainCell, coldchainDutyCycle } from './coldchain-cell.js';

export const BUDGET_DEVICES = ['cart', 'coldchain'] as const;
export type BudgetDevice = (typeof BUDGET_DEVICES)[number];

/** The cold-chain sensor's reference interval (decision 045: five minutes). */
export const COLDCHAIN_DEFAULT_INTERVAL_S = 300;

export interface BudgetRequest {
  readonly device: BudgetDevice;
  /** Cart: share of each hour a customer is shopping (default the PRD hour, 26/60). */
  readonly activeShare?: number;
  /** Cold-chain sensor: seconds between readings (its duty cycle). */
  readonly intervalS?: number;
  /** Another rated capacity for the same chemistry, mAh. */
  readonly batteryMah?: number;
}

/** What one load costs per period and its share of the total. */
export interface BudgetLine {
  readonly load: string;
  /** "0.6 A for 25.5 min" or "180 mA·s × 288" as the figures are given. */
  readonly how: string;
  readonly ahPerPeriod: number;
  readonly shareOfDraw: number;
}

export interface ShiftCheck {
  readonly hours: number;
  readonly drawAh: number;
  readonly leftPct: number;
  readonly lasts: boolean;
  /** Hours beyond the shift a full pack would still run (negative: how far short). */
  readonly spareHours: number;
}

export interface PowerBudget {
  readonly device: BudgetDevice;
  readonly cell: Cell;
  readonly periodHours: number;
  /** Cart: share of time shopping. Cold-chain: share of time awake is negligible, so 0. */
  readonly activeShare: number;
  readonly intervalS: number | null;
  readonly averageA: number;
  readonly lifeHours: number;
  readonly lifeYears: number;
  readonly lines: readonly BudgetLine[];
  /** Cart only: the PRD's 12-hour shift on a full pack. */
  readonly shift: ShiftCheck | null;
}

export function powerBudget(request: BudgetRequest): PowerBudget {
  if (request.batteryMah !== undefined && !(request.batteryMah > 0)) {
    throw new RangeError(`battery capacity must be positive: ${request.batteryMah}`);
  }
  return request.device === 'cart' ? cartBudget(request) : coldchainBudget(request);
}

function cartBudget(request: BudgetRequest): PowerBudget {
  const cell = resized(CART_PACK, request.batteryMah);
  const cycle = cartDutyCycle(request.activeShare);
  const averageA = averageCurrentA(cycle);
  const life = lifeHours(cell, averageA);
  const shiftDrawAh = averageA * SHIFT_HOURS;
  const leftAh = cell.capacityAh * cell.usableFraction - shiftDrawAh;
  return {
    ...common(request.device, cell, cycle, averageA, life),
    activeShare: stateShare(cycle, CART_ACTIVE_STATES),
    intervalS: null,
    lines: lines(cycle, (s) => `${s.currentA} A for ${minutes(s.durationMs)}`),
    shift: {
      hours: SHIFT_HOURS,
      drawAh: shiftDrawAh,
      leftPct: Math.max(0, (leftAh / cell.capacityAh) * 100),
      lasts: life >= SHIFT_HOURS,
      spareHours: life - SHIFT_HOURS,
    },
  };
}

function coldchainBudget(request: BudgetRequest): PowerBudget {
  const intervalS = request.intervalS ?? COLDCHAIN_DEFAULT_INTERVAL_S;
  const cell = resized(coldchainCell(COLDCHAIN_POWER), request.batteryMah);
  const cycle = coldchainDutyCycle(COLDCHAIN_POWER, intervalS);
  const averageA = averageCurrentA(cycle);
  return {
    ...common(request.device, cell, cycle, averageA, lifeHours(cell, averageA)),
    activeShare: 0,
    intervalS,
    lines: lines(cycle, (s) => `${round(s.currentA * 1e6, 2)} µA for ${minutes(s.durationMs)}`),
    shift: null,
  };
}

function common(
  device: BudgetDevice,
  cell: Cell,
  cycle: DutyCycle,
  averageA: number,
  life: number,
) {
  return {
    device,
    cell,
    periodHours: cycle.periodMs / 3_600_000,
    averageA,
    lifeHours: life,
    lifeYears: life / YEAR_HOURS,
  };
}

function lines(
  cycle: DutyCycle,
  describeState: (s: DutyCycle['states'][number]) => string,
): BudgetLine[] {
  const total = cycleDrawAh(cycle);
  const states = cycle.states.map((s) => ({
    load: s.state,
    how: describeState(s),
    ahPerPeriod: drawAh(s.currentA, s.durationMs),
  }));
  const events = cycle.events.map((e) => ({
    load: e.event,
    how: `${round(e.chargeAs * 1000, 2)} mA·s × ${round(e.count, 2)}`,
    ahPerPeriod: (e.count * e.chargeAs) / 3600,
  }));
  return [...states, ...events].map((l) => ({ ...l, shareOfDraw: l.ahPerPeriod / total }));
}

function resized(cell: Cell, mah: number | undefined): Cell {
  return mah === undefined ? cell : withCapacityMah(cell, mah);
}

function minutes(ms: number): string {
  const min = ms / 60_000;
  return min >= 120 ? `${round(min / 60, 2)} h` : `${round(min, 2)} min`;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
