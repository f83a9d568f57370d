import type { Command } from '../command.js';
import { retentionPlanCommand, retentionRunCommand } from './retention-commands.js';

/** `retention plan|run` (decision 063). */
export function retentionCommands(): Command[] {
  return [retentionPlanCommand, retentionRunCommand];
}
