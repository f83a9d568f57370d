import { systemClock, type Clock } from '../../edge/identity/index.js';
import type { Command } from '../command.js';
import { deviceClaimCommand } from './device-claim-command.js';
import { deviceSendCommand } from './device-send-command.js';
import { deviceSignCommand } from './device-sign-command.js';

/** Acting as a provisioned device from a shell: what the README's walkthrough sends with. */
export function deviceCommands(options: { now?: Clock } = {}): Command[] {
  const now = options.now ?? systemClock;
  return [deviceSendCommand(now), deviceSignCommand(now), deviceClaimCommand(now)];
}
