import type { Command } from '../command.js';
import { radioScoreCommand } from './radio-score-command.js';

/** The wireless rubric (decision 060). */
export function radioCommands(): Command[] {
  return [radioScoreCommand()];
}
