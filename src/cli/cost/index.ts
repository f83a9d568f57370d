import type { Command } from '../command.js';
import { costCommand } from './cost-command.js';

/** `cost` (decision 061). */
export function costCommands(): Command[] {
  return [costCommand()];
}
