import { UsageError, requireString, stringOption, type Command } from '../command.js';
import {
  REVOCATION_REASONS,
  isRevocationReason,
  openIdentity,
  revokeDevice,
  type Clock,
} from '../../edge/identity/index.js';
import { dataDir } from './options.js';

export function revokeCommand(now: Clock): Command {
  return {
    path: ['revoke'],
    summary: "Revoke a device's certificates; a running broker refuses it within a minute.",
    usage: `revoke --data DIR --serial SERIAL [--reason ${REVOCATION_REASONS.join('|')}]`,
    details: [
      'Marks the device revoked, records each of its certificates under DIR/ca/revoked/ and',
      'rewrites DIR/ca/crl.pem. Revoking again changes nothing.',
    ],
    options: {
      data: { type: 'string' },
      serial: { type: 'string' },
      reason: { type: 'string' },
    },
    required: ['data', 'serial'],
    async run(values, io) {
      const ctx = openIdentity(dataDir(values), { now });
      const reason = stringOption(values, 'reason') ?? 'unspecified';
      if (!isRevocationReason(reason)) {
        throw new UsageError(`--reason must be one of ${REVOCATION_REASONS.join(', ')}`);
      }
      const serial = requireString(values, 'serial');
      const result = await revokeDevice(ctx, { serial, reason });
      const at = result.record.revoked_at ?? '?';
      if (result.outcome === 'already-revoked') {
        io.out(`${serial} was already revoked at ${at}; nothing changed`);
        return;
      }
      io.out(
        `Revoked ${serial} (${result.certSerials.length} certificate${result.certSerials.length === 1 ? '' : 's'}, reason ${reason}) at ${at}`,
      );
      io.out(`  revocation log  ${ctx.layout.revokedDir}`);
      io.out(`  CRLs            ${ctx.layout.crl}`);
    },
  };
}
