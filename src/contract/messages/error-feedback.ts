import Type, { type Static } from 'typebox';
import { cloudEnvelope, Counter } from '../envelope.js';
import { MAX_DETAIL_LENGTH } from '../limits.js';
import { REJECT_REASON_CODES } from '../reasons.js';

/** What the cloud rejected and why, sent to the device on devices/errors/<device_id>. */
export const ErrorFeedback = Type.Object(
  {
    ...cloudEnvelope('error'),
    reason: Type.Enum([...REJECT_REASON_CODES]),
    counter: Type.Optional(Counter),
    message_type: Type.Optional(Type.String({ pattern: '^[a-z][a-z-]{0,31}$' })),
    detail: Type.String({ maxLength: MAX_DETAIL_LENGTH }),
  },
  { additionalProperties: false },
);
export type ErrorFeedback = Static<typeof ErrorFeedback>;
