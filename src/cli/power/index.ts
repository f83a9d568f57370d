import type { Command } from '../command.js';
import { powerBudgetCommand } from './power-budget-command.js';

/** Battery life from a device's duty cycle (decision 060). */
export function powerCommands(): Command[] {
  return [powerBudgetCommand()];
}
