import { UsageError, stringOption, type CommandIo, type OptionValues } from '../command.js';
import { renderTable, type Column } from './table.js';

export function wantsJson(values: OptionValues): boolean {
  return values['json'] === true;
}

/** One JSON document, as the API answered it, for scripts. */
export function printJson(io: CommandIo, document: unknown): void {
  io.out(JSON.stringify(document, null, 2));
}

/** A table for people, or one sentence when there is nothing to list. */
export function printTable(
  io: CommandIo,
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  empty: string,
): void {
  if (rows.length === 0) {
    io.out(empty);
    return;
  }
  for (const line of renderTable(columns, rows)) io.out(line);
}

/** `label: value` lines, labels aligned. */
export function printFields(io: CommandIo, fields: readonly (readonly [string, string])[]): void {
  const width = Math.max(...fields.map(([label]) => label.length)) + 1;
  for (const [label, value] of fields) io.out(`${`${label}:`.padEnd(width)}  ${value}`);
}

/** A whole number flag within bounds, as the API will check it, refused early with a hint. */
export function boundedInteger(
  values: OptionValues,
  name: string,
  max: number,
): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= max)) {
    throw new UsageError(`--${name} must be a whole number from 1 to ${max}, got '${text}'`);
  }
  return n;
}

/** A flag holding a JSON object (command args, desired state). */
export function jsonObject(
  values: OptionValues,
  name: string,
): Record<string, unknown> | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`--${name} must be a JSON object, e.g. '{"key": 1}'; got '${text}'`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`--${name} must be a JSON object, e.g. '{"key": 1}'; got '${text}'`);
  }
  return parsed as Record<string, unknown>;
}

/** A query string from the options given, skipping the absent ones. */
export function query(params: Record<string, string | number | undefined>): string {
  const entries = Object.entries(params).filter(
    (e): e is [string, string | number] => e[1] !== undefined,
  );
  if (entries.length === 0) return '';
  return (
    '?' + new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString()
  );
}

/** A compact value for a table cell: strings bare, the rest as JSON. */
export function cell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
