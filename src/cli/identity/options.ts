import { resolve } from 'node:path';
import { UsageError, requireString, stringOption, type OptionValues } from '../command.js';

/** The --data directory every identity command works on. */
export function dataDir(values: OptionValues): string {
  return resolve(requireString(values, 'data'));
}

export function nonNegativeInteger(values: OptionValues, name: string): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  if (!/^[0-9]+$/.test(text))
    throw new UsageError(`--${name} must be a whole number, got '${text}'`);
  return Number(text);
}

/** Dates in output: the day when that is all a person needs, the instant otherwise. */
export function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function instant(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
