/**
 * The cold-chain sensor's primary cell and what each thing it does costs: the figures the sensor
 * model (`src/device/coldchain/`) counts its fuel gauge with and the budget calculator averages.
 * The sensor's own units (µA, mA·s) are kept as its data sheets give them; `coldchainDutyCycle`
 * converts them once into the shared model's.
 */
import type { Cell, DutyCycle } from './charge.js';

export interface PowerProfile {
  /** Rated capacity of the cell, mAh. */
  readonly capacityMah: number;
  /** Share of the rated capacity the sensor can use (cold and pulse load derate a Li-SOCl2 cell). */
  readonly usableFraction: number;
  /** Share of the capacity lost per year on the shelf. */
  readonly selfDischargePerYear: number;
  /** Everything asleep: modem in PSM, MCU in system-off with RTC, accelerometer watching, µA. */
  readonly sleepUa: number;
  /** One temperature/humidity measurement, mA·s. */
  readonly senseMas: number;
  /** One report sent over LTE-M from PSM: wake, RRC connection, TLS record, PUBACK, tail, mA·s. */
  readonly reportMas: number;
  /** One network attach (after coverage was lost, and the periodic tracking-area update), mA·s. */
  readonly attachMas: number;
  /** Attaches a day with no outage: the periodic TAU timer (T3412) is set to once a day. */
  readonly attachesPerDay: number;
}

/**
 * The reference sensor. Sources:
 * - Cell: one Saft LS 26500 (C-size Li-SOCl2), 7.7 Ah nominal, self-discharge under 1 %/year at
 *   20 °C (Saft LS 26500 data sheet); 85 % usable at the −20…+5 °C a reefer sensor lives in.
 * - Sleep: nRF9160 in PSM ~2.7 µA (Nordic nRF9160 product specification, "PSM floor current"),
 *   LIS2DW12 wake-up detection ~1 µA (ST data sheet, low-power mode 1 at 12.5 Hz), RTC and
 *   regulator quiescent ~1.3 µA: 5 µA.
 * - Sense: SHT40 high-repeatability measurement 8.3 ms at ~0.5 mA (Sensirion SHT4x data sheet)
 *   plus MCU wake, ~0.01 mA·s.
 * - Report: Nordic's Online Power Profiler for LTE-M, a ~300-byte upload with release assistance
 *   and MQTT/TLS session reuse, comes to ~150 mC; we take 180 mA·s for the PUBACK round trip.
 * - Attach: network registration ~5 s at ~60 mA average (same profiler): 300 mA·s.
 */
export const COLDCHAIN_POWER: PowerProfile = {
  capacityMah: 7700,
  usableFraction: 0.85,
  selfDischargePerYear: 0.01,
  sleepUa: 5,
  senseMas: 0.01,
  reportMas: 180,
  attachMas: 300,
  attachesPerDay: 1,
};

const DAY_S = 86_400;

/** The profile's cell in the shared model. */
export function coldchainCell(p: PowerProfile): Cell {
  return {
    capacityAh: p.capacityMah / 1000,
    usableFraction: p.usableFraction,
    selfDischargePerYear: p.selfDischargePerYear,
  };
}

/**
 * One day of the sensor reading (and reporting) every `intervalS` seconds: asleep all day, with
 * each reading, report and attach spent on top (they last seconds in a day).
 */
export function coldchainDutyCycle(p: PowerProfile, intervalS: number): DutyCycle {
  if (!(intervalS > 0)) throw new RangeError(`interval must be positive: ${intervalS}`);
  return {
    periodMs: DAY_S * 1000,
    states: [{ state: 'sleep', currentA: p.sleepUa / 1e6, durationMs: DAY_S * 1000 }],
    events: [
      {
        event: 'read-and-report',
        chargeAs: (p.senseMas + p.reportMas) / 1000,
        count: DAY_S / intervalS,
      },
      { event: 'attach', chargeAs: p.attachMas / 1000, count: p.attachesPerDay },
    ],
  };
}
