import type { FastifyRequest } from 'fastify';
import type { ApiDeps } from './api-deps.js';
import { forbidden, unauthenticated } from './api-errors.js';
import type { ApiPrincipal, ApiRole } from './roles.js';
import { verifyToken } from './tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: ApiPrincipal;
  }
}

/** Bearer-token check for the /v1 routes; the role decision is each route's. */
export function authenticate(deps: ApiDeps) {
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers.authorization;
    if (!header) throw unauthenticated('send Authorization: Bearer <token> (fleetplane token)');
    const match = /^Bearer ([A-Za-z0-9._-]+)$/.exec(header);
    if (!match) throw unauthenticated('Authorization must be "Bearer <token>"');
    try {
      request.principal = await verifyToken(
        deps.tokenKeys,
        match[1]!,
        (deps.now ?? (() => new Date()))(),
      );
    } catch (error) {
      throw unauthenticated(error instanceof Error ? error.message : 'invalid token');
    }
  };
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
    throw forbidden(`this staff token is for store ${principal.store}, not ${storeId}`);
  }
  return principal;
}
