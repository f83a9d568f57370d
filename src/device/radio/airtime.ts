/**
 * What one message costs a radio on the air, and what the radio then draws on average: the
 * rubric's question 2 ("frequency × payload = bandwidth need × power draw") as arithmetic, through
 * the shared power model.
 */
import { averageCurrentA, lifeHours, type DutyCycle } from '../power/charge.js';
import type { Radio } from './radios.js';

const HOUR_MS = 3_600_000;

export interface Airtime {
  readonly frames: number;
  readonly bytesOnAir: number;
  /** Seconds on the air per message. */
  readonly seconds: number;
  /** Share of time on the air at the interval; null without one. */
  readonly share: number | null;
  /** Bit rate the cadence needs, headers included; null without an interval. */
  readonly needBps: number | null;
}

export function airtime(radio: Radio, payloadBytes: number, intervalS?: number): Airtime {
  const frames = Math.max(1, Math.ceil(payloadBytes / radio.maxFrameBytes));
  const bytesOnAir = payloadBytes + frames * radio.frameOverheadBytes;
  const seconds = (bytesOnAir * 8) / radio.throughputBps;
  return {
    frames,
    bytesOnAir,
    seconds,
    share: intervalS === undefined ? null : seconds / intervalS,
    needBps: intervalS === undefined ? null : (bytesOnAir * 8) / intervalS,
  };
}

/** An hour of the radio on for `onShare` of it and asleep (but reachable) the rest. */
export function radioDutyCycle(radio: Radio, onShare: number): DutyCycle {
  const on = Math.min(1, Math.max(0, onShare));
  return {
    periodMs: HOUR_MS,
    states: [
      { state: 'on', currentA: radio.activeMa / 1000, durationMs: on * HOUR_MS },
      { state: 'asleep', currentA: radio.sleepUa / 1e6, durationMs: (1 - on) * HOUR_MS },
    ],
    events: [],
  };
}

export interface RadioDraw {
  /** The share it is on: the duty cycle given, or more if the cadence needs more airtime. */
  readonly onShare: number;
  readonly averageA: number;
  /** Hours on a battery of `batteryMah` (all of it usable, no self-discharge), if one was given. */
  readonly lifeHours: number | null;
}

export function radioDraw(
  radio: Radio,
  dutyCycle: number,
  air: Airtime,
  batteryMah?: number,
): RadioDraw {
  const onShare = Math.min(1, Math.max(dutyCycle, air.share ?? 0));
  const averageA = averageCurrentA(radioDutyCycle(radio, onShare));
  const cell = { capacityAh: (batteryMah ?? 0) / 1000, usableFraction: 1, selfDischargePerYear: 0 };
  return {
    onShare,
    averageA,
    lifeHours: batteryMah === undefined ? null : lifeHours(cell, averageA),
  };
}
