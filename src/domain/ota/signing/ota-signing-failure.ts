import { Failure } from '../../../shared/failure.js';

/**
 * Expected failures of firmware signing and manifest files: a closed set, shown by the CLI as
 * `[code]`. The device's own refusals are FIRMWARE_REJECT_REASONS in the contract, not these.
 */
export type OtaSigningErrorCode =
  /** No firmware-signing key under DIR/ota yet: `ota build` creates one, nothing else does. */
  | 'no-signing-key'
  /** A key file that is not a P-256 key, or a public key that is not the private key's. */
  | 'corrupt-signing-key'
  /** A manifest file that is not the JSON `ota build` writes. */
  | 'corrupt-manifest'
  /** The manifest `ota build` would sign is not a valid OtaManifest (flags out of range). */
  | 'invalid-manifest'
  | 'image-missing'
  /** No fleet CA in DIR to take the default --ca-generation from. */
  | 'no-ca-generation';

export class OtaSigningFailure extends Failure<OtaSigningErrorCode> {}
