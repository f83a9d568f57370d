import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { dataLayout } from '../stores/data-dir/index.js';
import { Failure } from '../shared/failure.js';
import type { Command, OptionValues } from './command.js';

/**
 * The commands that may make a data directory: each creates the fleet CA in it first (`restore`
 * puts back the one of the backup). Every
 * other command that takes --data works on one these made, so a mistyped --data is refused
 * rather than filled with a new signing key whose tokens the platform would answer with 401.
 */
export const DATA_DIR_CREATORS: readonly string[] = ['ca init', 'start', 'demo', 'restore'];

export class DataDirMissing extends Failure<'no-data-dir'> {}

export function createsDataDir(command: Command): boolean {
  return DATA_DIR_CREATORS.includes(command.path.join(' '));
}

/**
 * Refuses a --data that is not a data directory made by one of DATA_DIR_CREATORS: missing, not a
 * directory, or without the fleet CA's trust bundle (the first thing each of them writes).
 */
export function assertDataDir(command: Command, values: OptionValues): void {
  if (!('data' in command.options) || createsDataDir(command)) return;
  const given = values['data'];
  if (typeof given !== 'string' || given === '') return;
  const dir = resolve(given);
  const how = `create one with 'fleetplane ca init --data ${given}' (or start or demo), or check --data`;
  if (!existsSync(dir)) {
    throw new DataDirMissing('no-data-dir', `no data directory at ${dir}; ${how}`);
  }
  if (!statSync(dir).isDirectory() || !existsSync(dataLayout(dir).trustBundle)) {
    throw new DataDirMissing(
      'no-data-dir',
      `${dir} is not a fleetplane data directory (no fleet CA in it); ${how}`,
    );
  }
}
