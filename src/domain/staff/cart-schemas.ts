import { DEVICE_ID_PATTERN, STORE_ID_PATTERN } from '../../contract/index.js';
import { MAINTENANCE_REASONS, type CartView } from '../../stores/entities/entity-store.js';
import { nullable } from '../../surfaces/api/schemas.js';

// What the cart routes answer with. Fastify serialises responses from these schemas, so a field
// missing here is missing from the answer.

export const storeParams = {
  type: 'object',
  properties: { store: { type: 'string', pattern: STORE_ID_PATTERN } },
  required: ['store'],
} as const;

export const cartParams = {
  type: 'object',
  properties: {
    store: { type: 'string', pattern: STORE_ID_PATTERN },
    device: { type: 'string', pattern: DEVICE_ID_PATTERN },
  },
  required: ['store', 'device'],
} as const;

export const maintenanceView = {
  type: 'object',
  properties: {
    outOfService: {
      type: 'boolean',
      description: 'Staff took the cart out of service, or the cart reports maintenance mode.',
    },
    reason: { type: ['string', 'null'], enum: [...MAINTENANCE_REASONS, null] },
    note: nullable('string'),
    setBy: { ...nullable('string'), description: 'role:subject of who last set or cleared it.' },
    setAt: nullable('string'),
    reportedByCart: { type: 'boolean', description: 'The cart itself reports maintenance mode.' },
  },
  required: ['outOfService', 'reason', 'reportedByCart'],
} as const;

export const cartView = {
  type: 'object',
  properties: {
    deviceId: { type: 'string' },
    storeId: { type: 'string' },
    region: nullable('string'),
    state: nullable('string'),
    connected: { type: 'boolean' },
    lastSeenAt: nullable('string'),
    batteryPct: nullable('number'),
    charging: nullable('boolean'),
    link: nullable('string'),
    rssiDbm: nullable('number'),
    firmwareVersion: nullable('string'),
    position: {
      type: ['object', 'null'],
      description: "The cart's last reported fix (the cart's, never a person's).",
      properties: {
        lat: { type: 'number' },
        lon: { type: 'number' },
        accuracyM: nullable('number'),
        source: nullable('string'),
        at: nullable('string'),
      },
    },
    maintenance: maintenanceView,
    activeSessionId: nullable('string'),
    lastFault: {
      type: ['object', 'null'],
      properties: {
        code: { type: 'string' },
        severity: { type: 'string' },
        at: { type: 'string' },
      },
    },
  },
  required: ['deviceId', 'storeId', 'connected', 'maintenance'],
} as const;

export function maintenanceJson(cart: CartView) {
  const flag = cart.maintenance;
  return {
    outOfService: (flag?.reason ?? null) !== null || cart.reportedMaintenance,
    reason: flag?.reason ?? null,
    note: flag?.note ?? null,
    setBy: flag?.setBy ?? null,
    setAt: flag?.setAt ?? null,
    reportedByCart: cart.reportedMaintenance,
  };
}

/** A cart as the cart routes answer with it. */
export function cartJson(cart: CartView) {
  return { ...cart, maintenance: maintenanceJson(cart) };
}
