import type { Command } from './command.js';

/** Every command of the `fleetplane` CLI; each capability contributes its own. */
export const allCommands: readonly Command[] = [];
