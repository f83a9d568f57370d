import type { FastifyInstance } from 'fastify';
import { STORE_ID_PATTERN } from '../../contract/index.js';
import { importParsedCatalog } from '../../stores/entities/catalog/import-catalog.js';
import { parseCatalog } from '../../stores/entities/catalog/parse-catalog.js';
import { Failure } from '../../shared/failure.js';
import type { ApiDeps } from './api-deps.js';
import { ApiError, notFound } from './api-errors.js';
import { authenticate, requireRole } from './auth.js';
import { errors } from './schemas.js';

/** A POS export of a large supermarket (~50,000 items at ~150 bytes) fits comfortably. */
const MAX_CATALOG_BYTES = 16 * 1024 * 1024;

const storeParams = {
  type: 'object',
  properties: { id: { type: 'string', pattern: STORE_ID_PATTERN } },
  required: ['id'],
} as const;

/**
 * A store's catalog as its POS keeps it: the same CSV or JSON `fleetplane catalog import` reads
 * (see parse-catalog.ts), sent over the API so a POS sync or the simulator can load it while the
 * platform runs. Ops only: the catalog decides what every cart of the store charges.
 */
export function registerCatalogRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const security = [{ bearer: [] }];
  const onRequest = authenticate(deps);

  // The body is parsed by parseCatalog, which reports bad rows with their line; fastify only
  // hands over the text. The caller registers these routes in a scope of their own, so other
  // routes keep fastify's JSON parser.
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser(
    ['text/csv', 'application/json'],
    { parseAs: 'string', bodyLimit: MAX_CATALOG_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/stores/:id/catalog',
    {
      onRequest,
      schema: {
        summary: "How many items the store's catalog holds",
        tags: ['stores'],
        security,
        params: storeParams,
        response: {
          200: {
            type: 'object',
            properties: { storeId: { type: 'string' }, items: { type: 'integer' } },
            required: ['storeId', 'items'],
          },
          ...errors,
        },
      },
    },
    async (request) => {
      requireRole(request, ['ops', 'staff'], request.params.id);
      if (!(await deps.storeExists(request.params.id)))
        throw notFound(`no store ${request.params.id}`);
      const items = await deps.entities.listCatalogItems(request.params.id);
      return { storeId: request.params.id, items: items.length };
    },
  );

  app.put<{ Params: { id: string }; Body: string }>(
    '/v1/stores/:id/catalog',
    {
      onRequest,
      bodyLimit: MAX_CATALOG_BYTES,
      schema: {
        summary: "Adds or replaces items of a store's catalog (CSV or JSON, as the POS exports it)",
        description:
          "Content-Type text/csv (header sku,barcode,name,price_cents,weight_g,category) or application/json (an array of objects with those fields). An upsert: sending the same catalog twice changes nothing. Bad rows are reported with their line (CSV) or position (JSON) and the rest import; a malformed file imports nothing and answers 400. When items changed, the store's carts are told the new catalog version through their desired shadow (`catalog_version`) and fetch it within seconds: `catalogVersion` is that version, `cartsNotified` how many carts were told.",
        tags: ['stores'],
        security,
        params: storeParams,
        response: {
          200: {
            type: 'object',
            properties: {
              imported: { type: 'integer' },
              changed: { type: 'integer' },
              unit: { type: 'string', enum: ['line', 'item'] },
              catalogVersion: { type: 'string' },
              cartsNotified: { type: 'integer' },
              rejected: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { line: { type: 'integer' }, reason: { type: 'string' } },
                  required: ['line', 'reason'],
                },
              },
            },
            required: ['imported', 'changed', 'unit', 'rejected'],
          },
          ...errors,
        },
      },
    },
    async (request) => {
      requireRole(request, ['ops']);
      // Items of a store nobody registered would never reach a cart: refused, not kept.
      if (!(await deps.storeExists(request.params.id)))
        throw notFound(`no store ${request.params.id}`);
      const type = String(request.headers['content-type'] ?? '');
      const format = type.startsWith('text/csv') ? 'csv' : 'json';
      let parsed;
      try {
        parsed = parseCatalog(request.body, format);
      } catch (error) {
        if (error instanceof Failure) throw new ApiError(400, 'bad-request', error.message);
        throw error;
      }
      const result = await importParsedCatalog(deps.entities, request.params.id, parsed);
      if (result.changed === 0 || !deps.catalogChanged) return result;
      try {
        const pushed = await deps.catalogChanged(request.params.id);
        return { ...result, catalogVersion: pushed.version, cartsNotified: pushed.carts };
      } catch (error) {
        // The catalog is stored: carts get it at their next boot. Say so in the log, not as a 500.
        request.log.error({ err: error, store_id: request.params.id }, 'catalog push failed');
        return result;
      }
    },
  );
}
