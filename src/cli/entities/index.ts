import type { Command } from '../command.js';
import { catalogImportCommand } from './catalog-import-command.js';

/** The entity store's commands. */
export function entityCommands(): Command[] {
  return [catalogImportCommand];
}
