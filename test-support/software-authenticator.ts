// A WebAuthn authenticator in software, for tests that run the console's sign-in ceremonies
// without a browser: P-256 credentials (ES256), `none` attestation, a CBOR attestation object,
// authenticator data with the UP/UV flags and a signature counter, and clientDataJSON naming the
// challenge and the origin. It answers the JSON that @simplewebauthn/browser would send.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

interface CreationOptions {
  readonly challenge: string;
  readonly rp: { readonly id?: string };
  readonly user: { readonly id: string };
  readonly excludeCredentials?: readonly { readonly id: string }[];
}

interface RequestOptions {
  readonly challenge: string;
  readonly rpId?: string;
  readonly allowCredentials?: readonly { readonly id: string }[];
}

interface Credential {
  readonly id: string;
  readonly rpId: string;
  readonly key: KeyObject;
  readonly userHandle: string;
  counter: number;
}

export interface AuthenticatorOptions {
  /** The page's origin, as the browser would write it into clientDataJSON. */
  readonly origin: string;
  /** Sets the UV flag (a PIN or biometric was checked); default true. */
  readonly userVerified?: boolean;
  /** Keeps a signature counter (some authenticators always say 0); default true. */
  readonly counts?: boolean;
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export class SoftwareAuthenticator {
  readonly #credentials: Credential[] = [];

  constructor(private readonly options: AuthenticatorOptions) {}

  /** How many credentials it holds. */
  get size(): number {
    return this.#credentials.length;
  }

  /** navigator.credentials.create(): a new credential, as RegistrationResponseJSON. */
  create(options: CreationOptions, override: Partial<AuthenticatorOptions> = {}) {
    const settings = { ...this.options, ...override };
    const rpId = options.rp.id ?? new URL(settings.origin).hostname;
    const excluded = new Set((options.excludeCredentials ?? []).map((c) => c.id));
    if (this.#credentials.some((c) => c.rpId === rpId && excluded.has(c.id))) {
      throw new Error('InvalidStateError: this authenticator holds an excluded credential');
    }
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const id = randomBytes(32);
    const credential: Credential = {
      id: id.toString('base64url'),
      rpId,
      key: privateKey,
      userHandle: options.user.id,
      counter: 0,
    };
    this.#credentials.push(credential);
    const jwk = publicKey.export({ format: 'jwk' });
    const coseKey = new Map<number, unknown>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, Buffer.from(jwk.x!, 'base64url')],
      [-3, Buffer.from(jwk.y!, 'base64url')],
    ]);
    const attested = Buffer.concat([
      Buffer.alloc(16), // AAGUID: none
      u16(id.length),
      id,
      cbor(coseKey),
    ]);
    const authData = Buffer.concat([
      authenticatorData(rpId, flags(settings) | FLAG_AT, this.#next(credential, settings)),
      attested,
    ]);
    const clientData = clientDataJson('webauthn.create', options.challenge, settings.origin);
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key' as const,
      authenticatorAttachment: 'platform' as const,
      clientExtensionResults: {},
      response: {
        clientDataJSON: clientData.toString('base64url'),
        attestationObject: cbor(
          new Map<string, unknown>([
            ['fmt', 'none'],
            ['attStmt', new Map()],
            ['authData', authData],
          ]),
        ).toString('base64url'),
        transports: ['internal'],
      },
    };
  }

  /** navigator.credentials.get(): an assertion by an allowed (or any) credential of the RP. */
  get(options: RequestOptions, override: Partial<AuthenticatorOptions> = {}) {
    const settings = { ...this.options, ...override };
    const rpId = options.rpId ?? new URL(settings.origin).hostname;
    const allowed = options.allowCredentials?.map((c) => c.id);
    const credential = this.#credentials.find(
      (c) => c.rpId === rpId && (!allowed || allowed.length === 0 || allowed.includes(c.id)),
    );
    if (!credential) throw new Error('NotAllowedError: no credential for this relying party');
    const authData = authenticatorData(rpId, flags(settings), this.#next(credential, settings));
    const clientData = clientDataJson('webauthn.get', options.challenge, settings.origin);
    const signed = Buffer.concat([authData, createHash('sha256').update(clientData).digest()]);
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key' as const,
      authenticatorAttachment: 'platform' as const,
      clientExtensionResults: {},
      response: {
        clientDataJSON: clientData.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        // ECDSA over authenticatorData ‖ SHA-256(clientDataJSON), DER-encoded as WebAuthn wants.
        signature: sign('sha256', signed, credential.key).toString('base64url'),
        userHandle: credential.userHandle,
      },
    };
  }

  #next(credential: Credential, settings: AuthenticatorOptions): number {
    if (settings.counts === false) return 0;
    credential.counter += 1;
    return credential.counter;
  }
}

function flags(settings: AuthenticatorOptions): number {
  return FLAG_UP | (settings.userVerified === false ? 0 : FLAG_UV);
}

function authenticatorData(rpId: string, flagByte: number, counter: number): Buffer {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(counter);
  return Buffer.concat([
    createHash('sha256').update(rpId, 'utf8').digest(),
    Buffer.from([flagByte]),
    count,
  ]);
}

function clientDataJson(type: string, challenge: string, origin: string): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), 'utf8');
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

/** The CBOR (RFC 8949) WebAuthn needs: integers, byte and text strings, arrays and maps. */
export function cbor(value: unknown): Buffer {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new TypeError('only integers');
    return value >= 0 ? head(0, value) : head(1, -1 - value);
  }
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  if (Array.isArray(value)) return Buffer.concat([head(4, value.length), ...value.map(cbor)]);
  if (value instanceof Map) {
    const parts = [...value].flatMap(([k, v]) => [cbor(k), cbor(v)]);
    return Buffer.concat([head(5, value.size), ...parts]);
  }
  throw new TypeError(`no CBOR here for ${typeof value}`);
}

function head(major: number, n: number): Buffer {
  const type = major << 5;
  if (n < 24) return Buffer.from([type | n]);
  if (n < 0x100) return Buffer.from([type | 24, n]);
  if (n < 0x10000) return Buffer.concat([Buffer.from([type | 25]), u16(n)]);
  const b = Buffer.alloc(5);
  b[0] = type | 26;
  b.writeUInt32BE(n, 1);
  return b;
}
