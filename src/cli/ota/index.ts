import type { Command } from '../command.js';
import { systemClock, type Clock } from '../../edge/identity/index.js';
import { otaBuildCommand } from './build-command.js';
import { otaVerifyCommand } from './verify-command.js';
import { otaRolloutCommands } from './rollout-commands.js';
import { otaSimCommand } from './sim/sim-command.js';

export interface OtaCommandOptions {
  /** Tests pass a clock for issued-at and the default verify time. */
  readonly now?: Clock;
}

/**
 * `fleetplane ota …`: firmware images (build, verify). Each subcommand is its own file and
 * factory; rollouts and the simulator add theirs to this list.
 */
export function otaCommands(options: OtaCommandOptions = {}): Command[] {
  const now = options.now ?? systemClock;
  return [otaBuildCommand(now), otaVerifyCommand(now), ...otaRolloutCommands(), otaSimCommand()];
}
