import type { DeviceId } from '../../../contract/ids.js';
import type { RevocationReason } from '../revocation/revocation-log.js';
import type { DeviceRecord } from './device-record.js';

export type UpdateResult = 'updated' | 'conflict' | 'missing';

/**
 * Where device records live. The file adapter is the default; a database adapter implements the
 * same port and must pass the same contract tests (device-registry.contract.ts).
 */
export interface DeviceRegistry {
  get(serial: DeviceId): Promise<DeviceRecord | undefined>;
  /** Creates a record unless one exists for that serial: 'exists' leaves the stored one as it was. */
  create(record: DeviceRecord): Promise<'created' | 'exists'>;
  /**
   * Replaces a record if it is still at `next.revision - 1`: 'conflict' means someone changed it
   * in between (re-read and decide again), 'missing' that there is no such record.
   */
  update(next: DeviceRecord): Promise<UpdateResult>;
  list(): Promise<DeviceRecord[]>;
  /**
   * Marks a device revoked. Idempotent: a device revoked already keeps its first revocation
   * time and reason. Undefined for an unknown serial.
   */
  markRevoked(
    serial: DeviceId,
    revocation: { at: Date; reason: RevocationReason },
  ): Promise<DeviceRecord | undefined>;
}
