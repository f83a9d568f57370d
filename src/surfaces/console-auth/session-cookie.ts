import type { FastifyReply, FastifyRequest } from 'fastify';
// The cookie plugin's types add setCookie, clearCookie and request.cookies to Fastify's.
import type {} from '@fastify/cookie';
import type { LiveSession } from './console-sessions.js';

/**
 * The console session cookie's name: with the `__Host-` prefix over HTTPS (the browser then
 * insists on Secure, Path=/ and no Domain, so no sibling host can set or shadow it), a plain name
 * on loopback HTTP, where browsers do not honour the prefix.
 */
export function sessionCookieName(https: boolean): string {
  return https ? '__Host-fp_session' : 'fp_session';
}

const ATTRIBUTES = { httpOnly: true, secure: true, sameSite: 'strict', path: '/' } as const;

/** HttpOnly, Secure, SameSite=Strict, Path=/, kept by the browser until the absolute end. */
export function setSessionCookie(
  reply: FastifyReply,
  https: boolean,
  sessionId: string,
  session: Pick<LiveSession, 'expiresAt'>,
  now: number,
): void {
  const maxAge = Math.max(1, Math.floor((session.expiresAt - now) / 1000));
  reply.setCookie(sessionCookieName(https), sessionId, { ...ATTRIBUTES, maxAge });
}

export function clearSessionCookie(reply: FastifyReply, https: boolean): void {
  reply.clearCookie(sessionCookieName(https), ATTRIBUTES);
}

/** The session id a request carries, if any (the cookie plugin must be registered). */
export function sessionCookie(request: FastifyRequest, https: boolean): string | undefined {
  const value = request.cookies?.[sessionCookieName(https)];
  return value === undefined || value === '' ? undefined : value;
}
