/**
 * The flags the power budget and the radio rubric share, parsed as people write them and refused
 * with the form expected (exit 2 with the command's usage).
 */
import { UsageError, stringOption, type OptionValues } from '../command.js';
import { parseDuration } from '../sim/duration.js';

const NUMBER = /^\d+(?:\.\d+)?$/;

function refuse(name: string, expected: string, text: string): never {
  throw new UsageError(`--${name} must be ${expected}; got '${text}'`);
}

/** A share of time: 0.05, 5% or 1/20; more than 0 and at most all of the time. */
export function dutyCycleFlag(values: OptionValues, name = 'duty-cycle'): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const expected = 'a share of time above 0 and at most 1: 0.05, 5% or 1/20';
  let share = NaN;
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(text);
  const ratio = /^(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(text);
  if (pct) share = Number(pct[1]) / 100;
  else if (ratio) share = Number(ratio[1]) / Number(ratio[2]);
  else if (NUMBER.test(text)) share = Number(text);
  if (!(share > 0 && share <= 1)) refuse(name, expected, text);
  return share;
}

/** A positive number, optionally bounded. */
export function positiveFlag(
  values: OptionValues,
  name: string,
  expected: string,
  max = Infinity,
): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const n = NUMBER.test(text) ? Number(text) : NaN;
  if (!(n > 0 && n <= max)) refuse(name, expected, text);
  return n;
}

/** A battery's rated capacity in mAh. */
export function batteryMahFlag(values: OptionValues): number | undefined {
  return positiveFlag(values, 'battery-mah', 'a capacity in mAh, e.g. 7800', 1e7);
}

/** Seconds between messages: 300, or a duration such as 90s, 5m, 1h. */
export function intervalFlag(values: OptionValues): number | undefined {
  const text = stringOption(values, 'interval');
  if (text === undefined) return undefined;
  const ms = NUMBER.test(text) ? Number(text) * 1000 : parseDuration(text);
  if (ms === undefined || !(ms > 0))
    refuse('interval', 'seconds (300) or a duration (5m, 1h)', text);
  return ms / 1000;
}

/** One of a closed set of words. */
export function choiceFlag<T extends string>(
  values: OptionValues,
  name: string,
  choices: readonly T[],
): T | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  if (!(choices as readonly string[]).includes(text))
    refuse(name, `one of ${choices.join(', ')}`, text);
  return text as T;
}
