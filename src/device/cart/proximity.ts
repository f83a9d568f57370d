import { randomBytes } from 'node:crypto';
import {
  encodeSigned,
  PROXIMITY_PROOF_MAX_AGE_MS,
  type ProximityProof,
  type Signer,
} from '../../contract/index.js';

/** A proof as the display shows it: its text (a QR code's content) and until when it is good. */
export interface ProximityCode {
  readonly text: string;
  readonly expiresAt: string;
}

/**
 * What the cart broadcasts over BLE for a staff tablet standing next to it, and shows on its
 * display as a QR code when asked: a fresh random nonce (from the OS, never the simulation's
 * seeded source: it must not be guessable), valid for the contract's maximum age, signed by the
 * secure element in the wire format. The text is base64url of the whole frame, as the tablet
 * forwards it.
 */
export function signedProximityCode(
  deviceId: string,
  deviceNowMs: number,
  sign: Signer,
): ProximityCode {
  const proof: ProximityProof = {
    schema_version: 1,
    type: 'proximity',
    device_id: deviceId,
    nonce: randomBytes(16).toString('base64url'),
    issued_at: new Date(deviceNowMs).toISOString(),
    expires_at: new Date(deviceNowMs + PROXIMITY_PROOF_MAX_AGE_MS).toISOString(),
  };
  const text = Buffer.from(encodeSigned(proof, sign)).toString('base64url');
  return { text, expiresAt: proof.expires_at };
}
