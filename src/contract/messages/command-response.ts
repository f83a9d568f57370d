import Type, { type Static } from 'typebox';
import { Code, deviceEnvelope, Uuid } from '../envelope.js';

/** A device's answer to a command, published on cmd/<device_id>/response. */
export const CommandResponse = Type.Object(
  {
    ...deviceEnvelope('command-response'),
    command_id: Uuid,
    status: Type.Enum(['succeeded', 'failed', 'rejected']),
    duplicate: Type.Boolean({
      description: 'The id was executed before; this repeats the first outcome, nothing re-ran.',
    }),
    code: Type.Optional(Code),
  },
  { additionalProperties: false },
);
export type CommandResponse = Static<typeof CommandResponse>;
