import Type, { type Static } from 'typebox';
import { deviceEnvelope } from '../envelope.js';
import { ShadowState } from './shadow-state.js';

/** The device's reported state, published on shadow/<device_id>/reported. */
export const ShadowReport = Type.Object(
  {
    ...deviceEnvelope('shadow-report'),
    desired_version: Type.Integer({ minimum: 0, description: 'Desired version last applied.' }),
    reported: ShadowState,
  },
  { additionalProperties: false },
);
export type ShadowReport = Static<typeof ShadowReport>;
