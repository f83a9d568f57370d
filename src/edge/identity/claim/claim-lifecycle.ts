import { loadFleetCa } from '../ca/fleet-ca.js';
import type { IdentityContext } from '../identity.js';
import { requireStore } from '../stores/add-store.js';
import {
  issueClaimCertificate,
  newClaimId,
  type IssuedClaimCertificate,
} from './claim-certificate.js';
import { ClaimFailure } from './claim-errors.js';
import { FileClaimRegistry, type ClaimRecord, type ClaimRegistry } from './claim-registry.js';
import type { ClaimTemplate } from './claim-template.js';

export interface CreatedClaim {
  readonly record: ClaimRecord;
  readonly certificate: IssuedClaimCertificate;
  /** Every root trusted now: what the claim client authenticates the broker with. */
  readonly trustPem: string;
}

export function claimRegistry(ctx: IdentityContext): ClaimRegistry {
  return new FileClaimRegistry(ctx.layout);
}

/**
 * Issues a claim certificate bound to a template and records it. The store must exist now, so a
 * typo shows up at the factory's desk rather than on the first device's claim.
 */
export async function createClaim(
  ctx: IdentityContext,
  request: { template: ClaimTemplate; expiresAt: Date },
  claims: ClaimRegistry = claimRegistry(ctx),
): Promise<CreatedClaim> {
  const now = ctx.now();
  if (request.expiresAt.getTime() <= now.getTime()) {
    throw new ClaimFailure('invalid-expiry', 'the claim would expire before it is issued');
  }
  await requireStore(ctx.stores, request.template.store);
  const ca = await loadFleetCa(ctx.layout);
  const id = newClaimId();
  const certificate = await issueClaimCertificate(ca, id, { now, notAfter: request.expiresAt });
  const record: ClaimRecord = {
    id,
    template: request.template,
    status: 'active',
    created_at: now.toISOString(),
    expires_at: certificate.notAfter.toISOString(),
    certificate: {
      serial_hex: certificate.certSerialHex,
      fingerprint256: certificate.fingerprint256,
      generation: certificate.generation,
    },
  };
  if ((await claims.create(record)) === 'exists') {
    throw new ClaimFailure('claim-conflict', `a claim ${id} exists already; run the command again`);
  }
  return { record, certificate, trustPem: ca.trustBundlePem(now) };
}

/** Revokes a claim: the broker refuses its next connection and its next request. */
export async function revokeClaim(
  ctx: IdentityContext,
  id: string,
  claims: ClaimRegistry = claimRegistry(ctx),
): Promise<{ record: ClaimRecord; already: boolean }> {
  const before = await claims.get(id);
  if (!before)
    throw new ClaimFailure('unknown-claim', `no claim '${id}' (see provision claim list)`);
  if (before.status === 'revoked') return { record: before, already: true };
  const record = await claims.revoke(id, ctx.now());
  return { record: record ?? before, already: false };
}
