/**
 * The cold-chain sensor's power budget on a primary cell: how long the battery lasts for a given
 * reading interval, and how much charge each thing the sensor does costs. Pure functions over a
 * profile, so a battery-life calculator can use the same numbers. Charges are in mA·s (mC).
 */
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
const YEAR_DAYS = 365.25;

/** The usable charge of a fresh cell, mA·s. */
export function usableChargeMas(p: PowerProfile): number {
  return p.capacityMah * 3600 * p.usableFraction;
}

/** Average current, µA, reading (and reporting) every `intervalS` seconds. */
export function averageCurrentUa(p: PowerProfile, intervalS: number): number {
  const perDayMas =
    (DAY_S / intervalS) * (p.senseMas + p.reportMas) + p.attachesPerDay * p.attachMas;
  return p.sleepUa + (perDayMas / DAY_S) * 1000;
}

/** Estimated battery life in years at this interval, self-discharge included. */
export function estimatedLifeYears(p: PowerProfile, intervalS: number): number {
  if (!(intervalS > 0)) throw new RangeError(`interval must be positive: ${intervalS}`);
  const drawPerYearMas = (averageCurrentUa(p, intervalS) / 1000) * DAY_S * YEAR_DAYS;
  const selfPerYearMas = p.capacityMah * 3600 * p.selfDischargePerYear;
  return usableChargeMas(p) / (drawPerYearMas + selfPerYearMas);
}

/** What sleeping for `ms` costs, self-discharge included, mA·s. */
export function sleepChargeMas(p: PowerProfile, ms: number): number {
  const selfPerMsMas = (p.capacityMah * 3600 * p.selfDischargePerYear) / (YEAR_DAYS * DAY_S * 1000);
  return (p.sleepUa / 1000) * (ms / 1000) + selfPerMsMas * ms;
}

/** The battery percentage a fuel gauge shows after `usedMas`: whole percent, never below 0. */
export function batteryPct(p: PowerProfile, usedMas: number): number {
  const left = 1 - usedMas / usableChargeMas(p);
  return Math.max(0, Math.min(100, Math.round(left * 100)));
}
