import type { FastifyInstance } from 'fastify';
import { DEVICE_API_PATHS } from '../../../contract/index.js';
import type { PlatformMetrics } from '../../../shared/observability/metrics.js';
import type { ImageStore } from './image-store.js';
import { FIRMWARE_URL_REFUSALS, type HmacFirmwareUrls } from './signed-urls.js';

export interface FirmwareDownloadDeps {
  readonly images: Pick<ImageStore, 'open'>;
  readonly urls: Pick<HmacFirmwareUrls, 'check'>;
  readonly metrics: Pick<PlatformMetrics, 'firmwareDownloads'>;
  readonly now: () => number;
}

/**
 * GET a firmware image through the signed URL of its ota-job, on the device API (so behind its
 * mutual TLS and admission: only a fleet device downloads). The URL is checked before the store
 * is asked, so nobody learns which images exist without a URL the platform signed. The bytes
 * stream from the blob store; the cart checks size and hash against the signed manifest.
 */
export function registerFirmwareDownloadRoute(
  app: FastifyInstance,
  deps: FirmwareDownloadDeps,
): void {
  app.get<{ Params: { imageId: string }; Querystring: Record<string, unknown> }>(
    `${DEVICE_API_PATHS.firmware}/:imageId`,
    async (request, reply) => {
      const { imageId } = request.params;
      const { expires, sig } = request.query;
      const verdict = deps.urls.check(imageId, expires, sig, deps.now());
      if (!verdict.ok) {
        deps.metrics.firmwareDownloads.inc({ outcome: verdict.reason });
        return reply
          .status(403)
          .send({ error: verdict.reason, message: FIRMWARE_URL_REFUSALS[verdict.reason] });
      }
      const image = await deps.images.open(imageId);
      if (!image) {
        deps.metrics.firmwareDownloads.inc({ outcome: 'unknown-image' });
        return reply
          .status(404)
          .send({ error: 'not-found', message: `no firmware image ${imageId}` });
      }
      deps.metrics.firmwareDownloads.inc({ outcome: 'served' });
      reply.header('content-type', 'application/octet-stream');
      reply.header('content-length', String(image.size));
      // Content-addressed and behind an expiring URL: nothing for a proxy to keep.
      reply.header('cache-control', 'private, no-store');
      return reply.send(image.stream);
    },
  );
}
