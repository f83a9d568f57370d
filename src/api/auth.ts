import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuditActor } from '../audit/audit-log.js';
import {
  ConsoleSessions,
  csrfMatches,
  type LiveSession,
} from '../console-auth/console-sessions.js';
import { clearSessionCookie, sessionCookie } from '../console-auth/session-cookie.js';
import { sessionPrincipal } from '../console-auth/session-principal.js';
import type { ApiDeps } from './api-deps.js';
import { ApiError, forbidden, unauthenticated } from './api-errors.js';
import type { ApiPrincipal, ApiRole } from './roles.js';
import { verifyToken } from './tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: ApiPrincipal;
    /** The console session behind a request authenticated by its cookie. */
    consoleSession?: LiveSession;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who calls a /v1 route: a bearer token (scripts; unchanged), or else a console session cookie.
 * An unsafe request on a session must carry the session's X-CSRF-Token (403 csrf-invalid): the
 * browser sends the cookie by itself, a page of another site cannot read the token. The role
 * decision is each route's.
 */
export function authenticate(deps: ApiDeps) {
  const sessions = new ConsoleSessions(deps.entities);
  const https = deps.https !== undefined;
  const now = () => (deps.now ?? (() => new Date()))();
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      request.principal = await bearer(deps, header, now());
      return;
    }
    const sessionId = sessionCookie(request, https);
    if (sessionId === undefined) {
      throw unauthenticated(
        'send Authorization: Bearer <token> (fleetplane token), or sign in at the console',
      );
    }
    const at = now().getTime();
    const session = await sessions.find(sessionId, at);
    if (!session) {
      clearSessionCookie(reply, https);
      throw unauthenticated('the console session has ended; sign in again');
    }
    if (
      !SAFE_METHODS.has(request.method) &&
      !csrfMatches(session, request.headers['x-csrf-token'])
    ) {
      throw new ApiError(
        403,
        'csrf-invalid',
        "send X-CSRF-Token with the session's token (from GET /v1/auth/session)",
      );
    }
    await sessions.touch(session, at);
    request.consoleSession = session;
    request.principal = sessionPrincipal(session);
  };
}

async function bearer(deps: ApiDeps, header: string, now: Date): Promise<ApiPrincipal> {
  const match = /^Bearer ([A-Za-z0-9._-]+)$/.exec(header);
  if (!match) throw unauthenticated('Authorization must be "Bearer <token>"');
  try {
    return await verifyToken(deps.tokenKeys, match[1]!, now);
  } catch (error) {
    throw unauthenticated(error instanceof Error ? error.message : 'invalid token');
  }
}

/** The caller, who must hold one of `roles` (and, for staff, the store in question). */
export function requireRole(
  request: FastifyRequest,
  roles: readonly ApiRole[],
  storeId?: string,
): ApiPrincipal {
  const principal = request.principal;
  if (!principal) throw unauthenticated('no token');
  if (!roles.includes(principal.role)) {
    throw forbidden(`the ${principal.role} role may not do this (needs ${roles.join(' or ')})`);
  }
  if (principal.role === 'staff' && storeId !== undefined && principal.store !== storeId) {
    throw forbidden(`this staff ${principal.via} is for store ${principal.store}, not ${storeId}`);
  }
  return principal;
}

/**
 * For overrides, DSAR deletion and rollout release and abort: a console session must have
 * confirmed with a passkey in the last 5 minutes (POST /v1/auth/step-up/…). Bearer tokens pass:
 * they are minted from the data directory's token key, which is already more than a passkey
 * proves, and scripts have no authenticator to touch.
 */
export function requireFresh(request: FastifyRequest, now: Date = new Date()): void {
  const principal = request.principal;
  if (principal?.via !== 'session') return;
  if (principal.freshUntil !== undefined && now < principal.freshUntil) return;
  throw new ApiError(
    403,
    'fresh-assertion-required',
    'confirm with your passkey (POST /v1/auth/step-up/options, then /v1/auth/step-up/verify) and send this again within 5 minutes',
  );
}

/** Who the audit log names for a caller: the token's subject, or `person:<id>` for a session. */
export function auditActor(principal: ApiPrincipal): AuditActor {
  return {
    role: principal.role,
    subject: principal.personId !== undefined ? `person:${principal.personId}` : principal.subject,
  };
}

/** The same as one string, for the `by` of commands, shadows, maintenance and rollouts. */
export function actorLabel(principal: ApiPrincipal): string {
  const actor = auditActor(principal);
  return `${actor.role}:${actor.subject}`;
}
