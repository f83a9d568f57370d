import type { Command } from '../command.js';
import { systemClock, type Clock } from '../../edge/identity/index.js';
import { brokerCommands } from './broker-commands.js';
import { demoCommand } from './demo-command.js';
import { dlqCommands } from './dlq-commands.js';
import { queueCommands } from './queue-commands.js';
import { startCommand, type StopSignal } from './start-command.js';
import { tokenCommand } from './token-command.js';
import { loginLinkCommand } from './login-link-command.js';

/** Running the platform and talking to it. */
export function platformCommands(
  options: { now?: Clock; stopSignal?: StopSignal } = {},
): Command[] {
  const now = options.now ?? systemClock;
  return [
    startCommand(options.stopSignal),
    demoCommand(now, options.stopSignal),
    tokenCommand(now),
    loginLinkCommand(now),
    ...dlqCommands(),
    ...queueCommands(),
    ...brokerCommands(now),
  ];
}
