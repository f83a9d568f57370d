import type { DeviceClass } from './ids.js';

/**
 * How long a device of each class may say nothing before it counts as silent: carts and
 * cold-chain loggers report at least every few minutes, so five minutes without a word is a
 * device in trouble (the alarm rules' default silence watch and the OTA halt rule both read it
 * here). Tools report when used, so their silence means nothing: null.
 */
export const SILENCE_AFTER_MS: Readonly<Record<DeviceClass, number | null>> = {
  cart: 5 * 60_000,
  coldchain: 5 * 60_000,
  tool: null,
};

/** SILENCE_AFTER_MS in whole minutes, for rule sets written in minutes. */
export function silenceMinutes(deviceClass: DeviceClass): number {
  const ms = SILENCE_AFTER_MS[deviceClass];
  if (ms === null) throw new Error(`${deviceClass} devices have no silence interval`);
  return ms / 60_000;
}
