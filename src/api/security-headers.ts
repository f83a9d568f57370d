import type { FastifyInstance } from 'fastify';

/**
 * The console loads only its own scripts, styles and API: no inline script, no third party, no
 * framing (clickjacking), no <base> or form posts elsewhere. Images may be data: and blob: URLs
 * (QR codes and charts drawn in the page).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const HSTS = 'max-age=31536000';

/**
 * Security headers on every response, the API's JSON and errors included. They go on the raw
 * response at the start of the request so that a route that takes the socket over (a stream)
 * sends them too. HSTS only over HTTPS, and not to a client that named localhost or a loopback
 * IP: a browser pins HSTS per host name, not per port, so pinning `localhost` would turn every
 * plain-HTTP server on localhost (`fleetplane demo` among them) into a connection error in that
 * browser for a year.
 */
export function registerSecurityHeaders(app: FastifyInstance, options: { https: boolean }): void {
  app.addHook('onRequest', async (request, reply) => {
    const raw = reply.raw;
    raw.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    raw.setHeader('x-content-type-options', 'nosniff');
    raw.setHeader('referrer-policy', 'no-referrer');
    if (options.https && !namesThisMachine(request.hostname)) {
      raw.setHeader('strict-transport-security', HSTS);
    }
  });
}

/** `hostname` as Fastify gives it: without the port, an IPv6 address in brackets. */
function namesThisMachine(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    /^127\.\d+\.\d+\.\d+$/.test(host)
  );
}
