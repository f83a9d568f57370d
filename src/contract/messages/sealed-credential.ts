import Type, { type Static } from 'typebox';

const b64url = (bytes: number) =>
  Type.String({ pattern: `^[A-Za-z0-9_-]{${Math.ceil((bytes * 4) / 3)}}$` });

/**
 * A customer credential (loyalty number, payment-method token, app code) sealed by the cart to
 * the platform's identity service: X25519 with an ephemeral key, HKDF-SHA256, AES-256-GCM. The
 * broker, the telemetry store and the dead-letter store only ever carry this ciphertext; the
 * identity service alone holds the private key. See sealing/credential-seal.ts.
 */
export const SealedCredential = Type.Object(
  {
    alg: Type.Literal('x25519-hkdf-sha256-a256gcm'),
    /** Which seal key the cart used (SealKey.kid), so the platform can rotate keys. */
    kid: Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' }),
    /** The ephemeral X25519 public key, 32 bytes. */
    epk: b64url(32),
    iv: b64url(12),
    ct: Type.String({ pattern: '^[A-Za-z0-9_-]{1,128}$' }),
    tag: b64url(16),
  },
  { additionalProperties: false },
);
export type SealedCredential = Static<typeof SealedCredential>;

/** What a credential looks like once opened; the identity service checks it after opening. */
export const CREDENTIAL_PATTERNS = {
  loyalty: /^[0-9]{8,19}$/,
  'payment-token': /^tok_[A-Za-z0-9]{16,64}$/,
  'app-code': /^[A-Z0-9]{6,12}$/,
} as const;
export type CredentialMethod = keyof typeof CREDENTIAL_PATTERNS;
export const CREDENTIAL_METHODS = Object.keys(CREDENTIAL_PATTERNS) as CredentialMethod[];
