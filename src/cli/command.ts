import type { ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Where a command writes. Tests pass their own to read what a command printed. */
export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
}

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface Command {
  /** Words after `fleetplane`, e.g. `['ca', 'init']`. */
  readonly path: readonly string[];
  readonly summary: string;
  /** Synopsis shown in help and usage errors, without the leading `fleetplane`. */
  readonly usage: string;
  /** Extra lines of help: what each option means, an example. */
  readonly details?: readonly string[];
  readonly options: OptionSpec;
  /** Options that must be present; checked before `run`. */
  readonly required?: readonly string[];
  /**
   * The option one bare word after the path stands for (`devices show CART-1` for
   * `devices show --id CART-1`); without it a bare word is a usage error.
   */
  readonly positional?: string;
  run(values: OptionValues, io: CommandIo): Promise<number | void>;
}

/** Bad invocation: exit 2 with the command's usage as a hint. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: Command,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function requireString(values: OptionValues, name: string): string {
  const v = stringOption(values, name);
  if (v === undefined || v === '') throw new UsageError(`--${name} is required`);
  return v;
}
