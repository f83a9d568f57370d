import { EXCURSION_KINDS } from '../../stores/entities/coldchain/coldchain-records.js';
import { nullable } from '../../surfaces/api/schemas.js';

/** The OpenAPI shapes of the cold-chain routes (decision 046). */
export const profileSchema = {
  type: 'object',
  properties: {
    profileId: { type: 'string' },
    name: { type: 'string' },
    minTempC: nullable('number'),
    maxTempC: nullable('number'),
    maxHumidityPct: nullable('number'),
    maxShockG: nullable('number'),
    builtin: { type: 'boolean' },
  },
  required: ['profileId', 'name', 'minTempC', 'maxTempC', 'maxHumidityPct', 'maxShockG'],
} as const;

export const shipmentSchema = {
  type: 'object',
  properties: {
    shipmentId: { type: 'string' },
    profile: profileSchema,
    deviceIds: { type: 'array', items: { type: 'string' } },
    startedAt: { type: 'string' },
    closedAt: nullable('string'),
    createdBy: { type: 'string' },
    closedBy: nullable('string'),
    readings: { type: 'integer' },
    excursions: { type: 'integer' },
    openExcursions: { type: 'integer' },
  },
  required: ['shipmentId', 'profile', 'deviceIds', 'startedAt', 'closedAt', 'readings'],
} as const;

export const excursionSchema = {
  type: 'object',
  properties: {
    excursionId: { type: 'string' },
    shipmentId: { type: 'string' },
    deviceId: { type: 'string' },
    profileId: { type: 'string' },
    kind: { type: 'string', enum: EXCURSION_KINDS },
    startedAt: { type: 'string' },
    endedAt: nullable('string'),
    durationS: nullable('number'),
    peak: { type: 'number' },
    peakAt: { type: 'string' },
    limit: { type: 'number' },
    readings: { type: 'integer' },
  },
  required: ['excursionId', 'shipmentId', 'deviceId', 'kind', 'startedAt', 'endedAt', 'peak'],
} as const;

const ID = '^[A-Za-z0-9._-]{1,64}$';

export const newShipmentBody = {
  type: 'object',
  properties: {
    id: {
      type: 'string',
      pattern: ID,
      description: 'The shipment id (also the sensors’ shadow shipment_id).',
    },
    profile: {
      type: 'string',
      maxLength: 64,
      description: 'A product profile id: chilled, frozen, ambient or a custom one.',
    },
    devices: { type: 'array', items: { type: 'string', pattern: ID }, minItems: 1, maxItems: 100 },
    start: {
      type: 'string',
      format: 'date-time',
      description: 'Readings from this time on are the shipment’s; default now.',
    },
  },
  required: ['id', 'profile', 'devices'],
  additionalProperties: false,
} as const;

export const newProfileBody = {
  type: 'object',
  properties: {
    profile_id: { type: 'string', maxLength: 64 },
    name: { type: 'string', minLength: 1, maxLength: 120 },
    min_temp_c: { type: 'number', minimum: -100, maximum: 100 },
    max_temp_c: { type: 'number', minimum: -100, maximum: 100 },
    max_humidity_pct: { type: 'number', minimum: 0, maximum: 100 },
    max_shock_g: { type: 'number', minimum: 0, maximum: 200 },
  },
  required: ['profile_id', 'name'],
  additionalProperties: false,
} as const;

export interface NewShipmentBody {
  readonly id: string;
  readonly profile: string;
  readonly devices: string[];
  readonly start?: string;
}

export interface NewProfileBody {
  readonly profile_id: string;
  readonly name: string;
  readonly min_temp_c?: number;
  readonly max_temp_c?: number;
  readonly max_humidity_pct?: number;
  readonly max_shock_g?: number;
}
