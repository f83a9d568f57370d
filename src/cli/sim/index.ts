import type { Command } from '../command.js';
import { systemClock, type Clock } from '../../edge/identity/index.js';
import type { StopSignal } from '../platform/start-command.js';
import { simCommand } from './sim-command.js';

/** The fleet simulator. */
export function simCommands(options: { now?: Clock; stopSignal?: StopSignal } = {}): Command[] {
  return [simCommand(options.now ?? systemClock, options.stopSignal)];
}
