import Type, { type Static } from 'typebox';
import { deviceEnvelope, Percent, SessionId } from '../envelope.js';

/** A shopping trip began on a cart, or a held session resumed after sleep. */
export const SessionStart = Type.Object(
  {
    ...deviceEnvelope('session-start'),
    session_id: SessionId,
    reason: Type.Enum(['new', 'resume'], { description: "'resume': a held session woke up." }),
    battery_pct: Percent,
  },
  { additionalProperties: false },
);
export type SessionStart = Static<typeof SessionStart>;
