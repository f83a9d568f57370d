import { randomUUID } from 'node:crypto';
import { SCHEMA_VERSION, validateDocument, type CommandRequest } from '../../contract/index.js';

/** The staff session actions and the contract commands that carry them to the cart. */
export const SESSION_ACTIONS = {
  pause: 'pause-session',
  cancel: 'cancel-session',
  restart: 'restart-session',
} as const satisfies Record<string, CommandRequest['name']>;
export type SessionAction = keyof typeof SESSION_ACTIONS;

/**
 * How long a staff command is good for: the staff member is at the cart now; a command that
 * arrives a minute later (the cart was offline) should not act on a scene that has changed.
 */
export const STAFF_COMMAND_TTL_MS = 60_000;

export function sessionCommand(
  deviceId: string,
  action: SessionAction,
  sessionId: string,
  now: number,
): CommandRequest {
  return checked<CommandRequest>('command', {
    schema_version: SCHEMA_VERSION,
    device_id: deviceId,
    type: 'command',
    ts: new Date(now).toISOString(),
    command_id: randomUUID(),
    name: SESSION_ACTIONS[action],
    expires_at: new Date(now + STAFF_COMMAND_TTL_MS).toISOString(),
    args: { session_id: sessionId },
  });
}

// Built from validated input; a document the contract refuses here is a bug, not a caller's fault.
function checked<T>(type: 'command', document: T): T {
  const result = validateDocument<T>(type, document);
  if (!result.ok) throw new Error(`${type} does not match the contract: ${result.detail}`);
  return document;
}
