import {
  generateKeyPairSync,
  createPrivateKey,
  createPublicKey,
  randomUUID,
  type KeyObject,
} from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { createFileExclusive, readTextFile } from '../../stores/data-dir/index.js';
import { Failure } from '../../shared/failure.js';
import { isApiRole, type ApiPrincipal, type ApiRole } from './roles.js';

const ISSUER = 'fleetplane';
const AUDIENCE = 'fleetplane-api';
export const DEFAULT_TOKEN_TTL_SECONDS = 12 * 3600;
export const MAX_TOKEN_TTL_SECONDS = 30 * 86_400;

export type TokenErrorCode = 'token-invalid' | 'token-expired' | 'token-request-invalid';
export class TokenFailure extends Failure<TokenErrorCode> {}

/** The API's token signing key pair (Ed25519), created on first use under the data directory. */
export interface TokenKeys {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export async function loadTokenKeys(path: string): Promise<TokenKeys> {
  let pem = await readTextFile(path);
  if (pem === undefined) {
    const fresh = generateKeyPairSync('ed25519')
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    // Exclusive create: two processes racing on a new data directory agree on one key.
    await createFileExclusive(path, fresh, { mode: 0o600 });
    pem = (await readTextFile(path)) ?? fresh;
  }
  const privateKey = createPrivateKey(pem);
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

export interface TokenRequest {
  readonly role: ApiRole;
  readonly store?: string;
  readonly region?: 'us' | 'eu';
  readonly subject?: string;
  readonly ttlSeconds?: number;
}

/** A signed, expiring bearer token (a JWT signed with EdDSA). */
export async function issueToken(
  keys: TokenKeys,
  request: TokenRequest,
  now: Date,
): Promise<string> {
  if (request.role === 'staff' && !request.store) {
    throw new TokenFailure(
      'token-request-invalid',
      'a staff token is bound to a store: give --store',
    );
  }
  const ttl = request.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TOKEN_TTL_SECONDS) {
    throw new TokenFailure(
      'token-request-invalid',
      `token lifetime must be 1 to ${MAX_TOKEN_TTL_SECONDS} seconds`,
    );
  }
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({
    role: request.role,
    ...(request.store ? { store: request.store } : {}),
    ...(request.region ? { region: request.region } : {}),
  })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(request.subject ?? `${request.role}-cli`)
    .setJti(randomUUID())
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttl)
    .sign(keys.privateKey);
}

/** Checks signature, issuer, audience and expiry; throws a TokenFailure saying which failed. */
export async function verifyToken(
  keys: TokenKeys,
  token: string,
  now: Date,
): Promise<ApiPrincipal> {
  try {
    const { payload } = await jwtVerify(token, keys.publicKey, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['EdDSA'],
      currentDate: now,
    });
    const role: unknown = payload['role'];
    const store: unknown = payload['store'];
    const region: unknown = payload['region'];
    if (
      !isApiRole(role) ||
      (store !== undefined && typeof store !== 'string') ||
      (region !== undefined && region !== 'us' && region !== 'eu')
    ) {
      throw new TokenFailure('token-invalid', 'token claims are not a fleetplane role');
    }
    return {
      role,
      via: 'token',
      ...(typeof store === 'string' ? { store } : {}),
      ...(region === 'us' || region === 'eu' ? { region } : {}),
      subject: payload.sub ?? role,
      tokenId: payload.jti ?? '',
      expiresAt: new Date((payload.exp ?? 0) * 1000),
    };
  } catch (error) {
    if (error instanceof TokenFailure) throw error;
    if (error instanceof joseErrors.JWTExpired) {
      throw new TokenFailure('token-expired', 'token has expired; issue a new one');
    }
    throw new TokenFailure('token-invalid', 'token is not valid for this platform');
  }
}
