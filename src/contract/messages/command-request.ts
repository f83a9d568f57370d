import Type, { type Static } from 'typebox';
import { cloudEnvelope, Code, SessionId, Timestamp, Uuid } from '../envelope.js';

export const COMMAND_NAMES = [
  'ping',
  'reboot',
  'sleep',
  'wake',
  'pause-session',
  'cancel-session',
  'restart-session',
  'sync-catalog',
] as const;

/**
 * A command for one device on cmd/<device_id>/request. The device executes each command_id at
 * most once and ignores a command past expires_at.
 */
export const CommandRequest = Type.Object(
  {
    ...cloudEnvelope('command'),
    command_id: Uuid,
    name: Type.Enum([...COMMAND_NAMES]),
    expires_at: Timestamp,
    args: Type.Optional(
      Type.Object(
        { session_id: Type.Optional(SessionId), reason: Type.Optional(Code) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type CommandRequest = Static<typeof CommandRequest>;
