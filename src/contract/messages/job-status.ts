import Type, { type Static } from 'typebox';
import { Code, deviceEnvelope, FirmwareVersion, Uuid } from '../envelope.js';

/** Progress of an OTA job on the device, published on jobs/<device_id>/status. */
export const JobStatus = Type.Object(
  {
    ...deviceEnvelope('job-status'),
    job_id: Uuid,
    target_version: FirmwareVersion,
    status: Type.Enum([
      'received',
      'downloading',
      'verifying',
      'installing',
      'rebooting',
      'succeeded',
      'failed',
      'rejected',
    ]),
    reason: Type.Optional(Code),
  },
  { additionalProperties: false },
);
export type JobStatus = Static<typeof JobStatus>;
