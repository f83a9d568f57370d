import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../../surfaces/api/api-deps.js';
import { notFound } from '../../surfaces/api/api-errors.js';
import { actorLabel, authenticate, requireRole } from '../../surfaces/api/auth.js';
import { errorBody, errors, nullable } from '../../surfaces/api/schemas.js';
import { asApi, commandServices } from '../commands/command-api.js';
import { DEVICE_ID_PATTERN } from '../../contract/index.js';
import { REPORTED_ONLY_KEYS } from './shadow-service.js';

const shadowJson = {
  type: 'object',
  properties: {
    deviceId: { type: 'string' },
    desired: { type: 'object', additionalProperties: true },
    desiredVersion: { type: 'integer' },
    reported: { type: ['object', 'null'], additionalProperties: true },
    reportedDesiredVersion: nullable('integer'),
    reportedAt: nullable('string'),
    delta: {
      type: 'object',
      additionalProperties: true,
      description: 'Desired keys the device does not report as desired, with the desired value.',
    },
    inSync: { type: 'boolean' },
  },
  required: ['deviceId', 'desired', 'desiredVersion', 'delta', 'inSync'],
} as const;

const params = {
  type: 'object',
  properties: { id: { type: 'string', pattern: DEVICE_ID_PATTERN } },
  required: ['id'],
} as const;

/** The device shadow over HTTP: read it (ops, staff of its store), change desired (ops). */
export function registerShadowRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const security = [{ bearer: [] }];
  const onRequest = authenticate(deps);
  const now = () => (deps.now ? deps.now().getTime() : Date.now());
  const { shadows } = commandServices(deps);

  async function visible(request: FastifyRequest, deviceId: string): Promise<void> {
    requireRole(request, ['ops', 'staff']);
    const device = await deps.entities.getDevice(deviceId);
    if (!device) throw notFound(`no device ${deviceId}`);
    requireRole(request, ['ops', 'staff'], device.storeId);
  }

  app.get<{ Params: { id: string } }>(
    '/v1/devices/:id/shadow',
    {
      onRequest,
      schema: {
        summary: "A device's shadow: desired and reported state with versions, and the delta",
        tags: ['shadow'],
        security,
        params,
        response: { 200: shadowJson, ...errors },
      },
    },
    async (request) => {
      await visible(request, request.params.id);
      const shadow = await shadows.get(request.params.id);
      if (!shadow) throw notFound(`no device ${request.params.id}`);
      return shadow;
    },
  );

  app.patch<{ Params: { id: string }; Body: { desired: Record<string, unknown> } }>(
    '/v1/devices/:id/shadow',
    {
      onRequest,
      schema: {
        summary: 'Change the desired state; the device gets it now or when it reconnects',
        description: `Merged into the desired document (null removes a key), which must stay a shadow state (unknown keys and ${REPORTED_ONLY_KEYS.join(', ')} are refused with 400); its version goes up by one and the whole document is published retained on shadow/<id>/desired. A patch that changes nothing keeps the version and publishes the document again. published false: the broker did not take it; PATCH again.`,
        tags: ['shadow'],
        security,
        params,
        body: {
          type: 'object',
          properties: { desired: { type: 'object', maxProperties: 16 } },
          required: ['desired'],
          additionalProperties: false,
        },
        response: {
          200: {
            ...shadowJson,
            properties: { ...shadowJson.properties, published: { type: 'boolean' } },
          },
          ...errors,
          409: errorBody,
        },
      },
    },
    async (request) => {
      const principal = requireRole(request, ['ops']);
      return asApi(() =>
        shadows.setDesired(request.params.id, request.body.desired, actorLabel(principal), now()),
      );
    },
  );
}
