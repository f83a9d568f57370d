import { createPublicKey } from 'node:crypto';
import {
  PROXIMITY_PROOF_MAX_AGE_MS,
  isRealInstant,
  splitFrame,
  validateDocument,
  verifyBody,
  type ProximityProof,
} from '../../contract/index.js';
import type { EntityStore } from '../../stores/entities/entity-store.js';
import type { DeviceDirectory } from '../../pipeline/ingest/device-directory.js';

/** How far ahead of the platform's clock a cart's issued_at may be: carts sync time, not exactly. */
export const PROXIMITY_CLOCK_SKEW_MS = 5_000;

/** Why a proof was refused; each is the API's 403 error code. */
export const PROXIMITY_REFUSALS = [
  'proximity-required',
  'proximity-invalid',
  'proximity-wrong-cart',
  'proximity-expired',
  'proximity-replayed',
] as const;
export type ProximityRefusal = (typeof PROXIMITY_REFUSALS)[number];

export type ProximityCheck =
  | { readonly ok: true; readonly proof: ProximityProof }
  | { readonly ok: false; readonly code: ProximityRefusal; readonly message: string };

export interface ProximityVerifierOptions {
  /** The registry view ingest uses: the device's registered certificate keys and revocation. */
  readonly devices: Pick<DeviceDirectory, 'lookup'>;
  /** Where accepted nonces are kept durably (the entity store). */
  readonly nonces: Pick<EntityStore, 'acceptProximityNonce'>;
  readonly now?: () => number;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Checks a proximity proof the staff tablet relayed from a cart: a ProximityProof frame (JSON
 * body, then a 64-byte P-256 signature) in base64url. Accepted only when it is well formed, names
 * this cart, is signed with a key the registry holds for it, is inside its lifetime, and its
 * nonce was never accepted before. The nonce is recorded last, so a proof refused for any other
 * reason can still be used once it is right.
 */
export class ProximityVerifier {
  readonly #now: () => number;

  constructor(private readonly options: ProximityVerifierOptions) {
    this.#now = options.now ?? Date.now;
  }

  async verify(deviceId: string, encoded: string | undefined): Promise<ProximityCheck> {
    if (encoded === undefined || encoded === '') {
      return refuse('proximity-required', 'this action needs a proximity proof from the cart');
    }
    const parsed = parse(encoded);
    if (typeof parsed === 'string') return refuse('proximity-invalid', parsed);
    const { proof, body, signature } = parsed;
    if (proof.device_id !== deviceId) {
      return refuse(
        'proximity-wrong-cart',
        `the proof is from ${proof.device_id}, not ${deviceId}: stand at the cart you act on`,
      );
    }
    const known = await this.options.devices.lookup(deviceId);
    if (!known || known.revoked) {
      return refuse('proximity-invalid', `${deviceId} has no registered key to check the proof`);
    }
    if (!known.publicKeys.some((spki) => verifies(spki, body, signature))) {
      return refuse('proximity-invalid', `the proof is not signed by ${deviceId}'s key`);
    }
    const issued = Date.parse(proof.issued_at);
    const expires = Date.parse(proof.expires_at);
    const now = this.#now();
    if (expires <= issued || expires - issued > PROXIMITY_PROOF_MAX_AGE_MS) {
      return refuse(
        'proximity-invalid',
        `a proof's lifetime must be over 0 and at most ${PROXIMITY_PROOF_MAX_AGE_MS / 1000} s`,
      );
    }
    if (issued > now + PROXIMITY_CLOCK_SKEW_MS) {
      return refuse('proximity-invalid', 'the proof is issued in the future');
    }
    if (expires <= now) return refuse('proximity-expired', 'the proof has expired; read a new one');
    const fresh = await this.options.nonces.acceptProximityNonce(
      deviceId,
      proof.nonce,
      expires,
      now,
    );
    if (!fresh) return refuse('proximity-replayed', 'this proof was used before; read a new one');
    return { ok: true, proof };
  }
}

function refuse(code: ProximityRefusal, message: string): ProximityCheck {
  return { ok: false, code, message };
}

/** The proof and the bytes its signature covers, or why it cannot be read. */
function parse(
  encoded: string,
): { proof: ProximityProof; body: Uint8Array; signature: Uint8Array } | string {
  if (!BASE64URL.test(encoded)) return 'the proof is not base64url';
  const frame = splitFrame(Buffer.from(encoded, 'base64url'));
  if (!frame) return 'the proof is too short to hold a body and a signature';
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(frame.body));
  } catch {
    return 'the proof body is not JSON';
  }
  const checked = validateDocument<ProximityProof>('proximity', value);
  if (!checked.ok) return `the proof is not a proximity proof: ${checked.detail}`;
  const proof = checked.value;
  if (!isRealInstant(proof.issued_at) || !isRealInstant(proof.expires_at)) {
    return 'the proof has a time that is not a real instant';
  }
  return { proof, body: frame.body, signature: frame.signature };
}

function verifies(spki: string, body: Uint8Array, signature: Uint8Array): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(spki, 'base64'), format: 'der', type: 'spki' });
    return verifyBody(body, signature, key);
  } catch {
    // A key that cannot be parsed verifies nothing.
    return false;
  }
}
