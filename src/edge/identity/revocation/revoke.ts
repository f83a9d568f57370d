import { isDeviceId } from '../../../contract/ids.js';
import { loadFleetCa } from '../ca/fleet-ca.js';
import { identityFailure } from '../errors.js';
import type { IdentityContext } from '../identity.js';
import { allCertificates, type DeviceRecord } from '../registry/device-record.js';
import { refreshCrls } from './crl.js';
import { appendRevocation, type RevocationReason } from './revocation-log.js';

export interface RevokeResult {
  readonly outcome: 'revoked' | 'already-revoked';
  readonly record: DeviceRecord;
  /** Serials of the device's certificates, all of which are now in the revocation log. */
  readonly certSerials: readonly string[];
}

/**
 * Revokes a device and every certificate it holds (current and renewed-from), then rewrites
 * the CRLs. The revocation log is written first because that is what a running broker watches;
 * repeating the command completes a run that died midway and otherwise changes nothing.
 */
export async function revokeDevice(
  ctx: IdentityContext,
  request: { serial: string; reason?: RevocationReason },
): Promise<RevokeResult> {
  const { serial, reason = 'unspecified' } = request;
  if (!isDeviceId(serial)) {
    throw identityFailure('invalid-serial', `'${serial}' is not a valid serial`);
  }
  const record = await ctx.devices.get(serial);
  if (!record) {
    throw identityFailure('unknown-device', `no device '${serial}' is registered`);
  }
  const now = ctx.now();
  const at = record.revoked_at ?? now.toISOString();
  const certificates = allCertificates(record);
  let appended = false;
  for (const c of certificates) {
    const added = await appendRevocation(ctx.layout, {
      cert_serial: c.serial_hex,
      device_id: serial,
      generation: c.generation,
      revoked_at: at,
      reason: record.revocation_reason ?? reason,
    });
    appended ||= added;
  }
  const marked = await ctx.devices.markRevoked(serial, { at: new Date(at), reason });
  if (!marked) throw identityFailure('unknown-device', `device '${serial}' vanished`);
  if (appended || record.status !== 'revoked') {
    await refreshCrls(ctx.layout, await loadFleetCa(ctx.layout), now);
  }
  return {
    outcome: record.status === 'revoked' ? 'already-revoked' : 'revoked',
    record: marked,
    certSerials: certificates.map((c) => c.serial_hex),
  };
}
