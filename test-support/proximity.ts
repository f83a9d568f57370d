// Proximity proofs as a cart emits them: a signed ProximityProof frame, base64url-encoded the way
// the staff tablet relays it. Sign with a test key or a provisioned device's secure element.
import { randomBytes, type KeyObject } from 'node:crypto';
import {
  encodeSigned,
  PROXIMITY_PROOF_MAX_AGE_MS,
  signBody,
  type ProximityProof,
  type Signer,
} from '../src/contract/index.js';

export function proximityProof(
  deviceId: string,
  signer: Signer | KeyObject,
  options: { issuedAt?: number; lifetimeMs?: number; fields?: Partial<ProximityProof> } = {},
): string {
  const issuedAt = options.issuedAt ?? Date.now();
  const proof: ProximityProof = {
    schema_version: 1,
    type: 'proximity',
    device_id: deviceId,
    nonce: randomBytes(16).toString('base64url'),
    issued_at: new Date(issuedAt).toISOString(),
    expires_at: new Date(
      issuedAt + (options.lifetimeMs ?? PROXIMITY_PROOF_MAX_AGE_MS),
    ).toISOString(),
    ...options.fields,
  };
  const sign: Signer =
    typeof signer === 'function' ? signer : (body: Uint8Array) => signBody(body, signer);
  return Buffer.from(encodeSigned(proof, sign)).toString('base64url');
}
