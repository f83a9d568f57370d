import type { FastifyInstance } from 'fastify';
import {
  DEVICE_CLASSES,
  DEVICE_ID_PATTERN,
  DEVICE_MESSAGES,
  STORE_ID_PATTERN,
  isDeviceMessageType,
} from '../../contract/index.js';
import type { DeviceClass } from '../../contract/index.js';
import type { DeviceView } from '../../stores/entities/entity-store.js';
import type { ApiDeps } from './api-deps.js';
import { authenticate, requireRole } from './auth.js';
import { forbidden, notFound, unavailable } from './api-errors.js';
import { errorBody, errors, nullable } from './schemas.js';

const MAX_EVENTS = 1000;

const deviceView = {
  type: 'object',
  properties: {
    deviceId: { type: 'string' },
    storeId: { type: 'string' },
    deviceClass: { type: 'string', enum: ['cart', 'coldchain', 'tool'] },
    connected: { type: 'boolean' },
    lastSeenAt: nullable('string'),
    firmwareVersion: nullable('string'),
    batteryPct: nullable('number'),
    batteryMv: nullable('number'),
    charging: nullable('boolean'),
    link: nullable('string'),
    rssiDbm: nullable('number'),
    state: nullable('string'),
    maintenance: { type: 'boolean' },
    location: {
      type: ['object', 'null'],
      properties: { lat: { type: 'number' }, lon: { type: 'number' } },
    },
    activeSessionId: nullable('string'),
    lastCounter: nullable('integer'),
  },
  required: ['deviceId', 'storeId', 'deviceClass', 'connected'],
} as const;

const deviceParams = {
  type: 'object',
  properties: { id: { type: 'string', pattern: DEVICE_ID_PATTERN } },
  required: ['id'],
} as const;

export function registerDeviceRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const security = [{ bearer: [] }];
  const onRequest = authenticate(deps);

  async function visibleDevice(
    id: string,
    request: Parameters<typeof requireRole>[0],
  ): Promise<DeviceView> {
    requireRole(request, ['ops', 'staff']);
    const device = await deps.entities.getDevice(id);
    if (!device) throw notFound(`no device ${id}`);
    requireRole(request, ['ops', 'staff'], device.storeId);
    return device;
  }

  app.get<{ Querystring: { store?: string; class?: DeviceClass } }>(
    '/v1/devices',
    {
      onRequest,
      schema: {
        summary: 'Every device of every store (ops), or of their own store (staff)',
        description:
          'Ordered by store, then device id; every class of device, where GET /v1/carts has carts only. `store` and `class` narrow the list.',
        tags: ['devices'],
        security,
        querystring: {
          type: 'object',
          properties: {
            store: { type: 'string', pattern: STORE_ID_PATTERN },
            class: { type: 'string', enum: [...DEVICE_CLASSES] },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: { devices: { type: 'array', items: deviceView } },
            required: ['devices'],
          },
          ...errors,
          503: errorBody,
        },
      },
    },
    async (request) => {
      const principal = requireRole(request, ['ops', 'staff'], request.query.store);
      if (principal.role === 'staff' && principal.store === undefined) {
        throw forbidden('this staff token names no store');
      }
      if (!deps.listStores) throw unavailable('this platform has no store registry');
      const only = principal.role === 'staff' ? principal.store : request.query.store;
      const storeIds = (await deps.listStores())
        .map((s) => s.storeId)
        .filter((id) => only === undefined || id === only)
        .sort();
      if (only !== undefined && storeIds.length === 0) throw notFound(`no store ${only}`);
      const devices: DeviceView[] = [];
      for (const storeId of storeIds) {
        const inStore = await deps.entities.listStoreDevices(storeId);
        devices.push(
          ...inStore
            .filter(
              (d) => request.query.class === undefined || d.deviceClass === request.query.class,
            )
            .sort((a, b) => a.deviceId.localeCompare(b.deviceId)),
        );
      }
      return { devices };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/devices/:id',
    {
      onRequest,
      schema: {
        summary: 'A device and what is true of it now',
        tags: ['devices'],
        security,
        params: deviceParams,
        response: { 200: deviceView, ...errors },
      },
    },
    (request) => visibleDevice(request.params.id, request),
  );

  app.get<{ Params: { id: string }; Querystring: { limit?: number; type?: string } }>(
    '/v1/devices/:id/events',
    {
      onRequest,
      schema: {
        summary: "A device's latest events, newest first",
        description:
          'Each event is the message as the device signed it (envelope fields schema_version, device_id, type, counter, ts, then its own), with received_at added.',
        tags: ['devices'],
        security,
        params: deviceParams,
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: MAX_EVENTS, default: 50 },
            type: { type: 'string', enum: Object.keys(DEVICE_MESSAGES) },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              events: { type: 'array', items: { type: 'object', additionalProperties: true } },
            },
            required: ['events'],
          },
          ...errors,
        },
      },
    },
    async (request) => {
      const device = await visibleDevice(request.params.id, request);
      const type = request.query.type;
      const events = await deps.telemetry.latestForDevice(device.deviceId, {
        limit: request.query.limit ?? 50,
        ...(type !== undefined && isDeviceMessageType(type) ? { type } : {}),
      });
      return {
        events: events.map((e) => ({
          ...(JSON.parse(e.body) as Record<string, unknown>),
          received_at: new Date(e.receivedAt).toISOString(),
        })),
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/stores/:id/devices',
    {
      onRequest,
      schema: {
        summary: "A store's devices and their current state",
        tags: ['stores'],
        security,
        params: {
          type: 'object',
          properties: { id: { type: 'string', pattern: STORE_ID_PATTERN } },
          required: ['id'],
        },
        response: {
          200: {
            type: 'object',
            properties: { devices: { type: 'array', items: deviceView } },
            required: ['devices'],
          },
          ...errors,
        },
      },
    },
    async (request) => {
      requireRole(request, ['ops', 'staff'], request.params.id);
      if (!(await deps.storeExists(request.params.id)))
        throw notFound(`no store ${request.params.id}`);
      return { devices: await deps.entities.listStoreDevices(request.params.id) };
    },
  );
}
