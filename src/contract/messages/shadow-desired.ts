import Type, { type Static } from 'typebox';
import { cloudEnvelope } from '../envelope.js';
import { ShadowState } from './shadow-state.js';

/** The state the cloud wants, on shadow/<device_id>/desired (retained), with its version. */
export const ShadowDesired = Type.Object(
  {
    ...cloudEnvelope('shadow-desired'),
    version: Type.Integer({ minimum: 0 }),
    desired: ShadowState,
  },
  { additionalProperties: false },
);
export type ShadowDesired = Static<typeof ShadowDesired>;
