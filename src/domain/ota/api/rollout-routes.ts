import { STORE_ID_PATTERN } from '../../../contract/ids.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError, notFound, unavailable } from '../../../surfaces/api/api-errors.js';
import type { ApiDeps } from '../../../surfaces/api/api-deps.js';
import { actorLabel, authenticate, requireFresh, requireRole } from '../../../surfaces/api/auth.js';
import { errorBody, errors } from '../../../surfaces/api/schemas.js';
import type { OtaApiDeps } from './ota-api-deps.js';
import { rolloutRequestSchema, rolloutSpec, type RolloutRequest } from './rollout-request.js';
import { asApiError, rolloutView } from './rollout-view.js';
import { WEEKDAYS } from '../rollout/opening-hours.js';
import type { OpeningHours } from '../rollout/ports.js';

const ID = { type: 'string', pattern: '^[0-9a-f-]{36}$' } as const;
const idParams = { type: 'object', properties: { id: ID }, required: ['id'] } as const;
const status = { type: 'object', additionalProperties: true } as const;
const reasonBody = {
  type: 'object',
  additionalProperties: false,
  properties: { reason: { type: 'string', maxLength: 500 } },
} as const;

/**
 * Rollouts over HTTP (decision 021): create, list, status, release, abort, a store opting out, and
 * stores' maintenance windows. The engine decides; these routes check who asks and translate.
 */
export function registerRolloutRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const auth = { onRequest: [authenticate(deps)] };
  const now = () => (deps.now ? deps.now() : new Date()).getTime();
  const ota = (): OtaApiDeps => {
    if (!deps.ota) throw unavailable('this platform runs no OTA rollouts');
    return deps.ota;
  };
  const who = (request: FastifyRequest) => actorLabel(request.principal!);
  const run = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw asApiError(error);
    }
  };
  const show = async (id: string) => rolloutView(await ota().engine.status(id, now()));

  app.post<{ Body: RolloutRequest }>(
    '/v1/ota/rollouts',
    {
      ...auth,
      schema: {
        summary: 'Starts a staged rollout of a signed manifest whose image was uploaded (ops)',
        description:
          'Stages: canary (10 devices, 24 h), early (1 %, 72 h), 10 %, 25 %, 100 % (later_stage_hours each, default 24). 409 ca-dependency when targeted devices do not trust the CA generation the image needs; 409 image-missing before the image is PUT to /v1/ota/images/{sha256}; 422 manifest-refused when the platform firmware-signing key does not verify it.',
        tags: ['ota'],
        security: [{ bearer: [] }],
        body: rolloutRequestSchema,
        response: { 201: status, ...errors, 409: errorBody, 422: errorBody, 503: errorBody },
      },
    },
    async (request, reply) => {
      requireRole(request, ['ops']);
      const o = ota();
      const spec = rolloutSpec(request.body, await o.signingKey(), who(request));
      if (!(await o.images.has(spec.imageId))) {
        throw new ApiError(
          409,
          'image-missing',
          `no image ${spec.imageId} in the blob store: PUT it to /v1/ota/images/${spec.imageId} first`,
        );
      }
      const created = await run(() => o.engine.create(spec, now()));
      return reply.status(201).send(await show(created.rolloutId));
    },
  );

  app.get(
    '/v1/ota/rollouts',
    {
      ...auth,
      schema: {
        summary: 'Lists rollouts, newest first, each with its status (ops)',
        tags: ['ota'],
        security: [{ bearer: [] }],
        response: { 200: status, ...errors, 503: errorBody },
      },
    },
    async (request) => {
      requireRole(request, ['ops']);
      const rollouts = await ota().engine.list();
      return { rollouts: await Promise.all(rollouts.map((r) => show(r.rolloutId))) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/ota/rollouts/:id',
    {
      ...auth,
      schema: {
        summary: "A rollout's status: stage, per-stage counts, on new version beside rolled back",
        tags: ['ota'],
        security: [{ bearer: [] }],
        params: idParams,
        response: { 200: status, ...errors, 503: errorBody },
      },
    },
    async (request) => {
      requireRole(request, ['ops']);
      return run(() => show(request.params.id));
    },
  );

  for (const action of ['release', 'abort'] as const) {
    app.post<{ Params: { id: string }; Body: { reason?: string } }>(
      `/v1/ota/rollouts/:id/${action}`,
      {
        ...auth,
        schema: {
          summary:
            action === 'release'
              ? 'Resumes a halted rollout; its health window starts again (ops)'
              : 'Stops a rollout; updated devices stay updated (ops)',
          description:
            'On a console session, only within 5 minutes of a passkey step-up (403 fresh-assertion-required otherwise).',
          tags: ['ota'],
          security: [{ bearer: [] }],
          params: idParams,
          body: reasonBody,
          response: { 200: status, ...errors, 409: errorBody, 503: errorBody },
        },
      },
      async (request) => {
        requireRole(request, ['ops']);
        requireFresh(request, new Date(now()));
        const by = who(request) + (request.body?.reason ? ` (${request.body.reason})` : '');
        const engine = ota().engine;
        await run(() => engine[action](request.params.id, now(), by));
        return show(request.params.id);
      },
    );
  }

  app.post<{ Params: { id: string }; Body: { store_id: string } }>(
    '/v1/ota/rollouts/:id/opt-outs',
    {
      ...auth,
      schema: {
        summary: "Takes a store's devices out of a rollout (ops, or that store's staff)",
        tags: ['ota'],
        security: [{ bearer: [] }],
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['store_id'],
          properties: { store_id: { type: 'string', minLength: 1, maxLength: 64 } },
        },
        response: { 200: status, ...errors, 409: errorBody, 503: errorBody },
      },
    },
    async (request) => {
      requireRole(request, ['ops', 'staff'], request.body.store_id);
      const engine = ota().engine;
      await run(() => engine.optOut(request.params.id, request.body.store_id, now(), who(request)));
      return show(request.params.id);
    },
  );

  app.put<{ Params: { store: string }; Body: { windows: string[] } }>(
    '/v1/stores/:store/maintenance-windows',
    {
      ...auth,
      schema: {
        summary: "Sets when a store's devices may be updated, in its own time zone",
        description:
          "Windows as 'HH:MM-HH:MM' local time (an end before the start spans midnight); an empty list: any time. Ops, or that store's staff.",
        tags: ['ota'],
        security: [{ bearer: [] }],
        params: {
          type: 'object',
          properties: { store: { type: 'string' } },
          required: ['store'],
        },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['windows'],
          properties: {
            windows: { type: 'array', items: { type: 'string', maxLength: 11 }, maxItems: 24 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: { store_id: { type: 'string' }, windows: { type: 'array' } },
          },
          ...errors,
          503: errorBody,
        },
      },
    },
    async (request) => {
      const storeId = request.params.store;
      requireRole(request, ['ops', 'staff'], storeId);
      if (!(await deps.storeExists(storeId))) throw notFound(`no store ${storeId}`);
      await run(() =>
        ota().engine.setMaintenanceWindows(storeId, request.body.windows, {
          by: who(request),
          at: now(),
        }),
      );
      return { store_id: storeId, windows: request.body.windows };
    },
  );

  const hoursSchema = {
    type: ['object', 'null'],
    additionalProperties: false,
    required: [...WEEKDAYS],
    properties: Object.fromEntries(
      WEEKDAYS.map((d) => [
        d,
        { type: 'array', items: { type: 'string', maxLength: 11 }, maxItems: 6 },
      ]),
    ),
  };
  const hoursReply = {
    type: 'object',
    properties: {
      store_id: { type: 'string' },
      timezone: { type: ['string', 'null'] },
      opening_hours: { ...hoursSchema, additionalProperties: true },
    },
  };
  const storeParams = {
    type: 'object',
    properties: { store: { type: 'string', pattern: STORE_ID_PATTERN } },
    required: ['store'],
  };
  const hoursOf = async (storeId: string) => {
    const [s] = await ota().engine.storeSchedules([storeId]);
    return {
      store_id: storeId,
      timezone: s?.timezone ?? null,
      opening_hours: s?.openingHours ?? null,
    };
  };

  app.get<{ Params: { store: string } }>(
    '/v1/stores/:store/opening-hours',
    {
      ...auth,
      schema: {
        summary: "A store's opening hours and the time zone they are read in",
        tags: ['ota'],
        security: [{ bearer: [] }],
        params: storeParams,
        response: { 200: hoursReply, ...errors, 503: errorBody },
      },
    },
    async (request) => {
      const storeId = request.params.store;
      requireRole(request, ['ops', 'staff'], storeId);
      if (!(await deps.storeExists(storeId))) throw notFound(`no store ${storeId}`);
      return hoursOf(storeId);
    },
  );

  app.put<{
    Params: { store: string };
    Body: { hours: OpeningHours | null; timezone?: string };
  }>(
    '/v1/stores/:store/opening-hours',
    {
      ...auth,
      schema: {
        summary: "Sets a store's opening hours (rollouts may send while it is closed)",
        description:
          "One list per weekday (mon … sun) of 'HH:MM-HH:MM' local periods; an end before the start runs past midnight, an empty list is a closed day, null forgets the hours. `timezone` (IANA) sets the store's zone too. A rollout created with send_in 'store-closed-hours' sends only while the store is closed. Ops, or that store's staff.",
        tags: ['ota'],
        security: [{ bearer: [] }],
        params: storeParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['hours'],
          properties: { hours: hoursSchema, timezone: { type: 'string', maxLength: 64 } },
        },
        response: { 200: hoursReply, ...errors, 503: errorBody },
      },
    },
    async (request) => {
      const storeId = request.params.store;
      requireRole(request, ['ops', 'staff'], storeId);
      if (!(await deps.storeExists(storeId))) throw notFound(`no store ${storeId}`);
      await run(() =>
        ota().engine.setOpeningHours(storeId, request.body.hours, request.body.timezone, {
          by: who(request),
          at: now(),
        }),
      );
      return hoursOf(storeId);
    },
  );
}
