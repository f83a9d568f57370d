/**
 * The cold-chain sensor's power budget on a primary cell: how long the battery lasts for a given
 * reading interval, and how much charge each thing the sensor does costs. The profile and the
 * averaging are the shared power model's (`src/device/power/`); what stays here is the sensor's
 * running fuel gauge. Charges are in mA·s (mC).
 */
import { averageCurrentA, lifeHours, YEAR_HOURS } from '../power/charge.js';
import { coldchainCell, coldchainDutyCycle, type PowerProfile } from '../power/coldchain-cell.js';

export { COLDCHAIN_POWER, type PowerProfile } from '../power/coldchain-cell.js';

const DAY_S = 86_400;
const YEAR_DAYS = 365.25;

/** The usable charge of a fresh cell, mA·s. */
export function usableChargeMas(p: PowerProfile): number {
  return p.capacityMah * 3600 * p.usableFraction;
}

/** Average current, µA, reading (and reporting) every `intervalS` seconds. */
export function averageCurrentUa(p: PowerProfile, intervalS: number): number {
  return averageCurrentA(coldchainDutyCycle(p, intervalS)) * 1e6;
}

/** Estimated battery life in years at this interval, self-discharge included. */
export function estimatedLifeYears(p: PowerProfile, intervalS: number): number {
  const averageA = averageCurrentA(coldchainDutyCycle(p, intervalS));
  return lifeHours(coldchainCell(p), averageA) / YEAR_HOURS;
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
