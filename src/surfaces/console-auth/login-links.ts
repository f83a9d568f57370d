import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { TokenKeys } from '../api/tokens.js';
import { Failure } from '../../shared/failure.js';
import { CONSOLE_ROLES, type ConsoleRole } from '../../stores/entities/entity-store.js';
import { ConsoleAuthFailure } from './auth-failure.js';

const ISSUER = 'fleetplane';
/**
 * Not the API's audience: a link signed with the same key must never pass as a bearer token,
 * and a bearer token never as a link.
 */
const AUDIENCE = 'fleetplane-console';
export const LINK_PURPOSE = 'console-link';
export const LINK_TTL_SECONDS = 15 * 60;

/** A handle or account id: what `--subject` may be. */
export const SUBJECT_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$';
/** A display name for ops and staff: no control characters, nothing that looks like markup. */
export const NAME_PATTERN = '^[^\\u0000-\\u001f\\u007f<>{}|\\\\/]{1,80}$';

export interface LinkRequest {
  readonly role: ConsoleRole;
  /** Required for staff; nobody else has one. */
  readonly store?: string;
  /** Required for a customer (the account id); for ops and staff, the person's handle. */
  readonly subject?: string;
  /** Ops and staff only: a customer's name is not the platform's to put in a link. */
  readonly name?: string;
}

export interface LinkClaims extends LinkRequest {
  readonly jti: string;
  readonly expiresAt: Date;
}

/** A link nobody could use (a staff link without a store…); the callers check first. */
export class LinkRequestFailure extends Failure<'link-request-invalid'> {}

/** Says what is wrong with a link request, or nothing; the CLI and the invitation route share it. */
export function linkRequestProblem(request: LinkRequest): string | undefined {
  if (request.role === 'staff' && !request.store)
    return 'a staff link is for one store: give the store';
  if (request.role !== 'staff' && request.store) return `a ${request.role} link names no store`;
  if (request.role === 'customer' && !request.subject) {
    return 'a customer link names the account: give the customer id as the subject';
  }
  if (request.role === 'customer' && request.name) {
    return "a customer's name lives in the vault, not in a link: leave the name out";
  }
  if (request.subject !== undefined && !new RegExp(SUBJECT_PATTERN).test(request.subject)) {
    return 'the subject is 1 to 64 letters, digits, dots, dashes, underscores or @';
  }
  if (request.name !== undefined && !new RegExp(NAME_PATTERN).test(request.name)) {
    return 'the name is 1 to 80 characters without control characters or <>{}|\\/';
  }
  return undefined;
}

/** A one-time sign-in link's token: an EdDSA JWT under the API's token key, 15 minutes. */
export async function issueLoginLink(
  keys: TokenKeys,
  request: LinkRequest,
  now: Date,
): Promise<{ token: string; jti: string; expiresAt: Date }> {
  const problem = linkRequestProblem(request);
  if (problem) throw new LinkRequestFailure('link-request-invalid', problem);
  const issuedAt = Math.floor(now.getTime() / 1000);
  const jti = randomUUID();
  const jwt = new SignJWT({
    purpose: LINK_PURPOSE,
    role: request.role,
    ...(request.store ? { store: request.store } : {}),
    ...(request.name ? { name: request.name } : {}),
  })
    .setProtectedHeader({ alg: 'EdDSA', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setJti(jti)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + LINK_TTL_SECONDS);
  if (request.subject) jwt.setSubject(request.subject);
  const token = await jwt.sign(keys.privateKey);
  return { token, jti, expiresAt: new Date((issuedAt + LINK_TTL_SECONDS) * 1000) };
}

/** Checks a link's signature, purpose and expiry; whether it was used is the store's to say. */
export async function readLoginLink(
  keys: TokenKeys,
  token: string,
  now: Date,
): Promise<LinkClaims> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, keys.publicKey, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['EdDSA'],
      currentDate: now,
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) {
      throw new ConsoleAuthFailure(
        'link-expired',
        'this sign-in link has expired; ask for a new one',
      );
    }
    throw new ConsoleAuthFailure('link-invalid', 'this is not a sign-in link of this platform');
  }
  const { role, store, name, purpose, jti, exp, sub } = payload;
  const claims = {
    role: role as ConsoleRole,
    ...(typeof store === 'string' ? { store } : {}),
    ...(typeof sub === 'string' ? { subject: sub } : {}),
    ...(typeof name === 'string' ? { name } : {}),
  };
  if (
    purpose !== LINK_PURPOSE ||
    !(CONSOLE_ROLES as readonly unknown[]).includes(role) ||
    typeof jti !== 'string' ||
    typeof exp !== 'number' ||
    linkRequestProblem(claims) !== undefined
  ) {
    throw new ConsoleAuthFailure('link-invalid', 'this sign-in link does not say what it is for');
  }
  return { ...claims, jti, expiresAt: new Date(exp * 1000) };
}

/** `<base>/signin#link=<token>`: in the fragment, so the token never reaches a server log. */
export function signinUrl(base: string, token: string): string {
  return `${base.replace(/\/+$/, '')}/signin#link=${token}`;
}
