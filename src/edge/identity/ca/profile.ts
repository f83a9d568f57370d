import { randomBytes } from 'node:crypto';

/**
 * The fleet CA's certificate profile in one place. Validity choices are explained in
 * docs/decisions/002-device-identity.md.
 */
export const ROOT_VALIDITY_YEARS = 20;
export const ISSUING_VALIDITY_YEARS = 5;
/** Device certificates ask for 10 years but never outlive the issuing CA that signs them. */
export const DEVICE_VALIDITY_YEARS = 10;
export const SERVER_VALIDITY_DAYS = 397;
/** Backdating absorbs clock skew between the CA host and devices whose clocks were just set. */
export const BACKDATE_MINUTES = 5;
export const DEFAULT_OVERLAP_DAYS = 90;
/** `ca status` warns when the issuing CA ends sooner than this: new devices get shorter certificates. */
export const ROTATE_WARNING_DAYS = 365;

export const ORGANISATION = 'fleetplane';

export function rootSubject(generation: number): string {
  return `O=${ORGANISATION}, CN=fleetplane root G${generation}`;
}

export function issuingSubject(generation: number): string {
  return `O=${ORGANISATION}, CN=fleetplane issuing G${generation}`;
}

/**
 * A random positive 16-byte serial: unpredictable (RFC 5280 asks for at least 64 bits of entropy)
 * and always 32 hex digits, because the first byte is neither zero (which DER would strip) nor
 * above 0x7f (which would make the integer negative).
 */
export function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! % 0x7f) + 1;
  return bytes.toString('hex');
}
