import { resolve } from 'node:path';
import { UsageError, requireString, stringOption, type OptionValues } from '../command.js';

export const DEFAULT_DATA_DIR = './fleet-data';

/** The data directory holding the keyring and the token store; `./fleet-data` by default. */
export function dataDirOf(values: OptionValues): string {
  return resolve(stringOption(values, 'data') ?? DEFAULT_DATA_DIR);
}

export function path(values: OptionValues, name: string): string {
  return resolve(requireString(values, name));
}

export function positiveInteger(values: OptionValues, name: string): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  if (!/^[0-9][0-9_]*$/.test(text) || Number(text.replaceAll('_', '')) < 1) {
    throw new UsageError(`--${name} must be a whole number above 0, got '${text}'`);
  }
  return Number(text.replaceAll('_', ''));
}

export function formatOption(values: OptionValues, name = 'format'): string | undefined {
  const f = stringOption(values, name);
  if (f !== undefined && f !== 'csv' && f !== 'jsonl') {
    throw new UsageError(`--${name} must be csv or jsonl, got '${f}'`);
  }
  return f;
}
