import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, unavailable } from '../../../surfaces/api/api-errors.js';
import { authenticate, requireRole } from '../../../surfaces/api/auth.js';
import type { ApiDeps } from '../../../surfaces/api/api-deps.js';
import { errorBody, errors } from '../../../surfaces/api/schemas.js';
import { IMAGE_ID_PATTERN, MAX_IMAGE_BYTES } from './image-store.js';

const storedImage = {
  type: 'object',
  properties: { image_id: { type: 'string' }, size: { type: 'integer' } },
  required: ['image_id', 'size'],
} as const;

/**
 * PUT a firmware image into the blob store by its SHA-256 (ops only): what a release pipeline does
 * after `fleetplane ota build`, with the hash the manifest states. The path names the hash so a
 * truncated or swapped upload is refused (422) instead of stored under a name it does not have.
 * Registered in a scope of its own: the octet-stream parser and 64 MiB limit are this route's.
 */
export function registerOtaImageRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'buffer', bodyLimit: MAX_IMAGE_BYTES },
    (_request, body, done) => done(null, body),
  );
  // Role checked before the body is read: nobody else gets to send 64 MiB.
  const opsOnly = async (request: FastifyRequest) => {
    requireRole(request, ['ops']);
  };

  app.put<{ Params: { sha256: string }; Body: Buffer }>(
    '/v1/ota/images/:sha256',
    {
      onRequest: [authenticate(deps), opsOnly],
      bodyLimit: MAX_IMAGE_BYTES,
      schema: {
        summary: 'Uploads a firmware image, addressed by its SHA-256 (ops)',
        description:
          'Content-Type application/octet-stream, up to 64 MiB: the image bytes whose SHA-256 (hex) is in the path and in the signed manifest. 201 when stored, 200 when the same image was already there; 422 hash-mismatch when the body has another hash (nothing is stored).',
        tags: ['ota'],
        security: [{ bearer: [] }],
        consumes: ['application/octet-stream'],
        // No type: fastify would validate the Buffer the parser hands over against it. An empty
        // schema accepts it and still puts the request body in the OpenAPI document.
        body: { description: 'The image bytes.' },
        params: {
          type: 'object',
          properties: { sha256: { type: 'string', pattern: IMAGE_ID_PATTERN } },
          required: ['sha256'],
        },
        response: { 200: storedImage, 201: storedImage, ...errors, 422: errorBody, 503: errorBody },
      },
    },
    async (request, reply) => {
      if (!deps.otaImages) throw unavailable('this platform keeps no firmware images');
      const body = request.body;
      if (!Buffer.isBuffer(body) || body.length === 0) {
        throw new ApiError(400, 'bad-request', 'send the image as application/octet-stream');
      }
      const digest = createHash('sha256').update(body).digest('hex');
      if (digest !== request.params.sha256) {
        throw new ApiError(
          422,
          'hash-mismatch',
          `the body's sha256 is ${digest}, not ${request.params.sha256}`,
        );
      }
      const stored = await deps.otaImages.put(body);
      return reply
        .status(stored.created ? 201 : 200)
        .send({ image_id: stored.imageId, size: stored.size });
    },
  );
}
