import {
  SCHEMA_VERSION,
  validateClaimDocument,
  type ClaimRefusalReason,
  type ClaimRequest,
  type ClaimResponse,
} from '../../../contract/index.js';
import type { FleetCa } from '../ca/fleet-ca.js';
import { loadSigningKey } from '../ca/generation.js';
import { IdentityFailure, type IdentityErrorCode } from '../errors.js';
import type { IdentityContext } from '../identity.js';
import { provisionDevice } from '../provisioning/provision.js';
import { ClaimRateLimit } from './claim-rate.js';
import type { ClaimRecord, ClaimRegistry } from './claim-registry.js';
import { templateAllows } from './claim-template.js';

/** What the claim was refused for, by the identity failure provisioning threw. */
const REFUSAL_BY_FAILURE: Partial<Record<IdentityErrorCode, ClaimRefusalReason>> = {
  'malformed-csr': 'bad-csr',
  'wrong-curve': 'bad-csr',
  'csr-signature-invalid': 'bad-csr',
  'csr-subject-mismatch': 'bad-csr',
  'duplicate-serial': 'serial-claimed',
  'device-revoked': 'serial-claimed',
  'invalid-serial': 'bad-request',
};

export interface ClaimAnswer {
  readonly response: ClaimResponse;
  /** True when this request issued a certificate (false for a repeat of an issued one). */
  readonly issued: boolean;
}

/**
 * The cloud side of a claim request (decision 044): the device's serial and CSR in, its
 * certificate chain out, through `provisionDevice`, the same path as single and batch
 * provisioning, with the template's class and store. The device registry's exclusive create
 * decides "a serial claims once"; a request repeating an issued claim with the same key gets the
 * same certificate back (nothing is issued), which makes a lost response safe to ask for again.
 */
export class ClaimService {
  constructor(
    private readonly ctx: IdentityContext,
    private readonly claims: ClaimRegistry,
    private readonly rate = new ClaimRateLimit(),
  ) {}

  /**
   * Answers one request of an admitted claim connection; the claim record is read again for
   * every request. `ca` is the fleet CA a long-running caller (the broker) holds; without it the
   * CA is loaded from disk. The issuing key is read from disk for each issuance either way (002).
   */
  async handle(
    claimId: string,
    serial: string,
    payload: Buffer,
    ca?: FleetCa,
  ): Promise<ClaimAnswer> {
    const now = this.ctx.now();
    let nonce: string | undefined;
    const refuse = (reason: ClaimRefusalReason, detail: string): ClaimAnswer => ({
      issued: false,
      response: {
        ...envelope(serial, now, nonce),
        outcome: 'refused',
        reason,
        detail: detail.slice(0, 200),
      },
    });

    let body: unknown;
    try {
      body = JSON.parse(payload.toString('utf8'));
    } catch {
      return refuse('bad-request', 'the body is not JSON');
    }
    const candidate = (body as { nonce?: unknown } | null)?.nonce;
    if (typeof candidate === 'string' && /^[0-9a-f-]{36}$/.test(candidate)) nonce = candidate;
    const checked = validateClaimDocument<ClaimRequest>('claim-request', body);
    if (!checked.ok) return refuse('bad-request', checked.detail);
    const request = checked.value;
    if (request.serial !== serial) {
      return refuse('bad-request', `the body names ${request.serial}, the topic ${serial}`);
    }

    const claim = await this.claims.get(claimId);
    const state = claimState(claim, now);
    if (state) return refuse(state.reason, state.detail);
    const { template } = claim!;
    if (!this.rate.take(claimId, now.getTime())) {
      return refuse('rate-limited', `too many requests under ${claimId}; wait and send again`);
    }
    if (!templateAllows(template, serial)) {
      return refuse(
        'serial-not-allowed',
        `${serial} does not match the pattern of template ${template.name}`,
      );
    }

    try {
      const result = await provisionDevice(this.ctx, {
        serial,
        store: template.store,
        deviceClass: template.class,
        csr: request.csr,
        ...(ca ? { issuer: { ca, signingKey: await loadSigningKey(ca.newest.issuing) } } : {}),
      });
      return {
        issued: result.outcome === 'issued',
        response: {
          ...envelope(serial, now, nonce),
          outcome: 'issued',
          certificate_pem: result.certificatePem,
          chain_pem: result.chainPem,
          trust_pem: result.trustPem,
          device_class: result.info.deviceClass,
          store_id: result.info.storeId,
        },
      };
    } catch (error) {
      const reason = error instanceof IdentityFailure ? REFUSAL_BY_FAILURE[error.code] : undefined;
      if (reason === 'serial-claimed') {
        return refuse(reason, `${serial} already has a certificate for another key`);
      }
      if (reason) return refuse(reason, error instanceof Error ? error.message : String(error));
      throw error;
    }
  }
}

/** Why a claim may not be used at `now`, if it may not: gone, revoked or expired. */
export function claimState(
  claim: ClaimRecord | undefined,
  now: Date,
): { reason: 'claim-revoked' | 'claim-expired'; detail: string } | undefined {
  if (!claim) return { reason: 'claim-revoked', detail: 'the claim is no longer registered' };
  if (claim.status === 'revoked') {
    return { reason: 'claim-revoked', detail: `${claim.id} was revoked at ${claim.revoked_at}` };
  }
  if (new Date(claim.expires_at).getTime() <= now.getTime()) {
    return { reason: 'claim-expired', detail: `${claim.id} expired at ${claim.expires_at}` };
  }
  return undefined;
}

function envelope(serial: string, now: Date, nonce: string | undefined) {
  return {
    schema_version: SCHEMA_VERSION as 1,
    type: 'claim-response' as const,
    serial,
    ...(nonce ? { nonce } : {}),
    ts: now.toISOString(),
  };
}
