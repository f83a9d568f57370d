import type { FastifyInstance } from 'fastify';
import {
  DEVICE_API_PATHS,
  SERVER_TIME_NONCE_PATTERN,
  type ServerTime,
} from '../../contract/index.js';

const NONCE = new RegExp(SERVER_TIME_NONCE_PATTERN);

/**
 * POST {nonce}: the server-time challenge of an OTA update. The answer echoes the cart's fresh
 * nonce with the platform's clock, over the cart's own mutual-TLS connection, so the cart can
 * judge a manifest's validity window by it and not by its own clock (which may be hours off).
 */
export function registerServerTimeRoute(app: FastifyInstance, now: () => number): void {
  app.post(DEVICE_API_PATHS.serverTime, async (request, reply) => {
    const nonce = (request.body as { nonce?: unknown } | null | undefined)?.nonce;
    if (typeof nonce !== 'string' || !NONCE.test(nonce)) {
      return reply.status(400).send({
        error: 'bad-request',
        message: `send {"nonce": "..."} matching ${SERVER_TIME_NONCE_PATTERN}`,
      });
    }
    reply.header('cache-control', 'no-store');
    const answer: ServerTime = {
      schema_version: 1,
      type: 'server-time',
      nonce,
      server_time: new Date(now()).toISOString(),
    };
    return answer;
  });
}
