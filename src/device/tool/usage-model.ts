import { exponential, type Random } from '../random.js';

export type ToolMode = 'idle' | 'drill' | 'drive' | 'torque' | 'hammer';

/** What a tool did between two reports, as its controller counts it. */
export interface UsagePeriod {
  readonly mode: ToolMode;
  /** Peak output torque in the period, N·m (0 when idle). */
  readonly torqueNm: number;
  /** Motor speed of the last cycle, rpm (0 when idle). */
  readonly rpm: number;
  /** Minutes the motor ran. */
  readonly usageMinutes: number;
  /** Trigger cycles, start to stop of the motor. */
  readonly cycles: number;
  readonly motorTempC: number;
  readonly batteryPct: number;
  /** Set while the motor is too hot to run: the controller stops it until it cools. */
  readonly errorCode?: 'OVER_TEMP';
}

/**
 * A cordless drill/driver's duty, pack and motor: trigger pulls arrive at random while a crew works
 * (`working`), each a few seconds of load in one mode. Numbers of a typical 18 V brushless tool:
 * 5 Ah pack, ~25 A under load (so ~12 minutes of motor time per charge), 1C charger (an hour from
 * empty), motor winding heating ~1 °C per second under load toward 120 °C and cooling with a
 * 4-minute time constant; the controller cuts out at 85 °C and allows a restart under 70 °C.
 */
export const TOOL_PHYSICS = {
  packAh: 5,
  loadA: 25,
  chargeA: 5,
  heatCPerS: 1,
  coolTauS: 240,
  cutOutC: 85,
  restartC: 70,
  meanGapS: 40,
  cycleMinS: 2,
  cycleMaxS: 9,
} as const;

const MODES: readonly {
  mode: Exclude<ToolMode, 'idle'>;
  torque: [number, number];
  rpm: [number, number];
}[] = [
  { mode: 'drill', torque: [5, 40], rpm: [1200, 2000] },
  { mode: 'drive', torque: [10, 60], rpm: [400, 1400] },
  { mode: 'torque', torque: [40, 120], rpm: [100, 500] },
  { mode: 'hammer', torque: [20, 80], rpm: [1500, 2100] },
];

export class ToolUsage {
  #at: number;
  #chargeAs: number;
  #motorC: number;
  #overTemp = false;
  /** Real time of the next trigger pull, while working. */
  #nextPull: number | undefined;
  working = false;
  onCharger = false;

  constructor(
    start: number,
    private readonly random: Random,
    options: { batteryPct?: number; ambientC?: number } = {},
  ) {
    this.#at = start;
    this.#chargeAs = ((options.batteryPct ?? 100) / 100) * TOOL_PHYSICS.packAh * 3600;
    this.#motorC = options.ambientC ?? 20;
  }

  get batteryPct(): number {
    return Math.round((this.#chargeAs / (TOOL_PHYSICS.packAh * 3600)) * 100);
  }

  /** Runs the tool's world from the last call to `toMs` and sums what happened. */
  advance(toMs: number, ambientC = 20): UsagePeriod {
    const p = TOOL_PHYSICS;
    let cycles = 0;
    let motorS = 0;
    let peakTorque = 0;
    let rpm = 0;
    let mode: ToolMode = 'idle';
    const cool = (seconds: number) => {
      this.#motorC = ambientC + (this.#motorC - ambientC) * Math.exp(-seconds / p.coolTauS);
      if (this.#overTemp && this.#motorC < p.restartC) this.#overTemp = false;
      if (this.onCharger) {
        const full = p.packAh * 3600;
        this.#chargeAs = Math.min(full, this.#chargeAs + p.chargeA * seconds);
      }
    };
    while (this.#at < toMs) {
      if (!this.working || this.onCharger) {
        this.#nextPull = undefined;
        cool((toMs - this.#at) / 1000);
        this.#at = toMs;
        break;
      }
      this.#nextPull ??= this.#at + exponential(this.random, p.meanGapS * 1000);
      if (this.#nextPull > toMs) {
        cool((toMs - this.#at) / 1000);
        this.#at = toMs;
        break;
      }
      cool((this.#nextPull - this.#at) / 1000);
      this.#at = this.#nextPull;
      this.#nextPull = undefined;
      if (this.#overTemp || this.#chargeAs <= 0) continue;
      const kind = MODES[Math.floor(this.random() * MODES.length)]!;
      const seconds = Math.min(
        p.cycleMinS + this.random() * (p.cycleMaxS - p.cycleMinS),
        this.#chargeAs / p.loadA,
      );
      cycles++;
      motorS += seconds;
      mode = kind.mode;
      peakTorque = Math.max(peakTorque, between(this.random, kind.torque));
      rpm = Math.round(between(this.random, kind.rpm));
      this.#chargeAs = Math.max(0, this.#chargeAs - p.loadA * seconds);
      this.#motorC += p.heatCPerS * seconds;
      if (this.#motorC >= p.cutOutC) this.#overTemp = true;
      this.#at += seconds * 1000;
    }
    return {
      mode,
      torqueNm: Math.round(peakTorque * 10) / 10,
      rpm,
      usageMinutes: Math.round((motorS / 60) * 100) / 100,
      cycles,
      motorTempC: Math.round(this.#motorC * 10) / 10,
      batteryPct: this.batteryPct,
      ...(this.#overTemp ? { errorCode: 'OVER_TEMP' as const } : {}),
    };
  }

  /** The over-temperature fault: the motor is at its cut-out (a blocked fan, a stalled bit). */
  overheat(): void {
    this.#motorC = TOOL_PHYSICS.cutOutC + 5;
    this.#overTemp = true;
  }

  /** The low-battery fault: the pack is down to `pct`. */
  drainTo(pct: number): void {
    this.#chargeAs = (pct / 100) * TOOL_PHYSICS.packAh * 3600;
  }
}

function between(random: Random, [min, max]: readonly [number, number]): number {
  return min + random() * (max - min);
}
