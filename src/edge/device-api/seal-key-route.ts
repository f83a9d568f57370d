import type { FastifyInstance } from 'fastify';
import { DEVICE_API_PATHS, validateDocument, type SealKey } from '../../contract/index.js';
import type { Logger } from '../../shared/observability/logger.js';

const UNAVAILABLE = {
  error: 'seal-key-unavailable',
  message: 'no seal key to hand out now; identify later or over another method',
} as const;

/**
 * GET the identity service's SealKey, which carts seal identify credentials to. The identity
 * service provides it; without one (or when it fails, or hands out something that is not a
 * SealKey) the answer is 503 seal-key-unavailable and the cart keeps the key it has.
 */
export function registerSealKeyRoute(
  app: FastifyInstance,
  sealKey: (() => Promise<SealKey>) | undefined,
  log: Logger,
): void {
  app.get(DEVICE_API_PATHS.sealKey, async (request, reply) => {
    if (!sealKey) return reply.status(503).send(UNAVAILABLE);
    let key: SealKey;
    try {
      key = await sealKey();
    } catch (error) {
      log.error({ err: error, device_id: request.device?.deviceId }, 'seal key provider failed');
      return reply.status(503).send(UNAVAILABLE);
    }
    const checked = validateDocument<SealKey>('seal-key', key);
    if (!checked.ok) {
      log.error({ detail: checked.detail }, 'the seal key provider gave no valid SealKey');
      return reply.status(503).send(UNAVAILABLE);
    }
    // Keys rotate by kid: a cart asks again when told to, and revalidates then.
    reply.header('cache-control', 'private, no-cache');
    return key;
  });
}
