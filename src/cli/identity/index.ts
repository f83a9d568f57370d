import type { Command } from '../command.js';
import { systemClock, type Clock } from '../../edge/identity/index.js';
import { caCommands } from './ca-commands.js';
import { claimCommands } from './claim/claim-commands.js';
import { provisionCommand } from './provision-command.js';
import { revokeCommand } from './revoke-command.js';
import { storeCommands } from './store-commands.js';

/** The identity commands; tests pass a clock to move through validity and overlap windows. */
export function identityCommands(options: { now?: Clock } = {}): Command[] {
  const now = options.now ?? systemClock;
  return [
    ...caCommands(now),
    ...storeCommands(now),
    provisionCommand(now),
    revokeCommand(now),
    ...claimCommands(now),
  ];
}
