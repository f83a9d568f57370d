import type { Command } from '../command.js';
import { accountsImportCommand } from './accounts-import-command.js';
import { dsarDeleteCommand, dsarExportCommand } from './dsar-commands.js';

/** Loyalty members and data-subject requests, on the data directory. */
export function customerCommands(): Command[] {
  return [accountsImportCommand, dsarExportCommand, dsarDeleteCommand];
}
