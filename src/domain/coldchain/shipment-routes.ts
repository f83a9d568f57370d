import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../../surfaces/api/api-deps.js';
import { notFound } from '../../surfaces/api/api-errors.js';
import { actorLabel, authenticate, requireRole } from '../../surfaces/api/auth.js';
import { errorBody, errors } from '../../surfaces/api/schemas.js';
import { commandServices } from '../commands/command-api.js';
import {
  addProfile,
  closeShipment,
  createShipment,
  listProfiles,
  type ShipmentDeps,
} from './shipments.js';
import {
  excursionSchema,
  newProfileBody,
  newShipmentBody,
  profileSchema,
  shipmentSchema,
  type NewProfileBody,
  type NewShipmentBody,
} from './shipment-schemas.js';

const common = { tags: ['cold chain'], security: [{ bearer: [] }] };
const idParams = {
  type: 'object',
  properties: { id: { type: 'string', maxLength: 64 } },
  required: ['id'],
} as const;
const change = {
  type: 'object',
  properties: {
    shipment: shipmentSchema,
    shadowPending: { type: 'array', items: { type: 'string' } },
  },
  required: ['shipment', 'shadowPending'],
} as const;
const excursionList = {
  type: 'object',
  properties: { excursions: { type: 'array', items: excursionSchema } },
  required: ['excursions'],
} as const;
const limit = { type: 'integer', minimum: 1, maximum: 1000, default: 100 } as const;

function shipmentDeps(deps: ApiDeps): ShipmentDeps {
  return {
    entities: deps.entities,
    devices: deps.devices,
    shadows: commandServices(deps).shadows,
    now: () => (deps.now ? deps.now().getTime() : Date.now()),
  };
}

/** Product profiles, shipments and their excursions (decision 046): ops only. */
export function registerShipmentRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get(
    '/v1/product-profiles',
    {
      onRequest: authenticate(deps),
      schema: {
        ...common,
        summary: 'Product profiles: the built-in ones, then those added',
        response: {
          200: {
            type: 'object',
            properties: { profiles: { type: 'array', items: profileSchema } },
            required: ['profiles'],
          },
          ...errors,
        },
      },
    },
    async (request) => {
      requireRole(request, ['ops']);
      return { profiles: await listProfiles(deps.entities) };
    },
  );

  app.post<{ Body: NewProfileBody }>(
    '/v1/product-profiles',
    {
      onRequest: authenticate(deps),
      schema: {
        ...common,
        summary: 'Add a product profile (its excursion thresholds); profiles are never edited',
        body: newProfileBody,
        response: { 201: profileSchema, ...errors, 409: errorBody },
      },
    },
    async (request, reply) => {
      requireRole(request, ['ops']);
      const profile = await addProfile(deps.entities, request.body);
      return reply.code(201).send(profile);
    },
  );

  app.post<{ Body: NewShipmentBody }>(
    '/v1/shipments',
    {
      onRequest: authenticate(deps),
      schema: {
        ...common,
        summary: 'Create a shipment under a product profile and bind its sensors',
        description:
          "Each sensor's shadow gets desired shipment_id. A reading belongs to the shipment its sensor was bound to at the reading's time (start ≤ time < close), whatever shipment_id the sensor reports. 409 when the id exists or a sensor travels with another open shipment.",
        body: newShipmentBody,
        response: { 201: change, ...errors, 409: errorBody },
      },
    },
    async (request, reply) => {
      const principal = requireRole(request, ['ops']);
      const made = await createShipment(shipmentDeps(deps), request.body, actorLabel(principal));
      return reply.code(201).send(made);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/v1/shipments/:id/close',
    {
      onRequest: authenticate(deps),
      schema: {
        ...common,
        summary: 'Close a shipment now: later readings are no longer its own',
        params: idParams,
        response: { 200: change, ...errors },
      },
    },
    async (request) => {
      const principal = requireRole(request, ['ops']);
      return closeShipment(shipmentDeps(deps), request.params.id, actorLabel(principal));
    },
  );

  app.get<{ Querystring: { open?: boolean; limit?: number } }>(
    '/v1/shipments',
    {
      onRequest: authenticate(deps),
      schema: {
        ...common,
        summary: 'Shipments, the latest start first',
        querystring: {
          type: 'object',
          properties: { open: { type: 'boolean' }, limit },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: { shipments: { type: 'array', items: shipmentSchema } },
            required: ['shipments'],
          },
          ...errors,
        },
      },
    },
    async (request) => {
      requireRole(request, ['ops']);
      const { open, limit: n } = request.query;
      const shipments = await deps.entities.listShipments({
        ...(open !== undefined ? { open } : {}),
        limit: n ?? 100,
      });
      return { shipments };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/shipments/:id',
    {
      onRequest: authenticate(deps),
      schema: {
        ...common,
        summary: 'One shipment',
        params: idParams,
        response: { 200: shipmentSchema, ...errors },
      },
    },
    async (request) => {
      requireRole(request, ['ops']);
      const shipment = await deps.entities.getShipment(request.params.id);
      if (!shipment) throw notFound(`no shipment ${request.params.id}`);
      return shipment;
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit?: number } }>(
    '/v1/shipments/:id/excursions',
    {
      onRequest: authenticate(deps),
      schema: {
        ...common,
        summary: "A shipment's excursions, the latest start first (open ones have no end)",
        params: idParams,
        querystring: { type: 'object', properties: { limit }, additionalProperties: false },
        response: { 200: excursionList, ...errors },
      },
    },
    async (request) => {
      requireRole(request, ['ops']);
      const { id } = request.params;
      if (!(await deps.entities.getShipment(id))) throw notFound(`no shipment ${id}`);
      return {
        excursions: await deps.entities.listExcursions({
          shipmentId: id,
          limit: request.query.limit ?? 100,
        }),
      };
    },
  );

  app.get<{ Querystring: { shipment?: string; limit?: number } }>(
    '/v1/excursions',
    {
      onRequest: authenticate(deps),
      schema: {
        ...common,
        summary: 'Excursions of every shipment (or of one), the latest start first',
        querystring: {
          type: 'object',
          properties: { shipment: { type: 'string', maxLength: 64 }, limit },
          additionalProperties: false,
        },
        response: { 200: excursionList, ...errors },
      },
    },
    async (request) => {
      requireRole(request, ['ops']);
      const { shipment, limit: n } = request.query;
      return {
        excursions: await deps.entities.listExcursions({
          ...(shipment ? { shipmentId: shipment } : {}),
          limit: n ?? 100,
        }),
      };
    },
  );
}
