import { SESSION_STATUSES } from '../../stores/entities/entity-store.js';
import { nullable } from './schemas.js';

// What the session routes answer with. Fastify serialises responses from these schemas, so a
// field missing here is missing from the answer.

const paymentView = {
  type: ['object', 'null'],
  properties: {
    method: { type: 'string', enum: ['store-terminal', 'none'] },
    status: { type: 'string', enum: ['authorized', 'declined', 'deferred'] },
    amountCents: { type: 'integer' },
    currency: { type: 'string' },
    authReference: nullable('string'),
    decidedAt: { type: 'string' },
  },
} as const;

export const sessionView = {
  type: 'object',
  properties: {
    sessionId: { type: 'string' },
    deviceId: { type: 'string' },
    storeId: { type: 'string' },
    accountId: nullable('string'),
    status: { type: 'string', enum: [...SESSION_STATUSES] },
    startedAt: { type: 'string' },
    endedAt: nullable('string'),
    scanCount: { type: 'integer' },
    subtotalCents: { type: 'integer' },
    scanMismatches: { type: 'integer' },
    itemCount: nullable('integer'),
    totalCents: nullable('integer'),
    currency: nullable('string'),
    identifyMethod: nullable('string'),
    payment: paymentView,
    mergedInto: {
      ...nullable('string'),
      description: 'A transferred session: the session on another cart that continued the trip.',
    },
    mergedFrom: {
      type: 'array',
      items: { type: 'string' },
      description: 'The transferred sessions this one continued (battery swaps), oldest first.',
    },
  },
  required: ['sessionId', 'deviceId', 'storeId', 'status', 'startedAt', 'mergedFrom'],
} as const;

export const scanView = {
  type: 'object',
  properties: {
    deviceId: { type: 'string' },
    counter: { type: 'integer' },
    scanSeq: { type: 'integer' },
    action: { type: 'string', enum: ['add', 'remove'] },
    barcode: { type: 'string' },
    sku: nullable('string'),
    quantity: { type: 'integer' },
    priceCents: nullable('integer'),
    weightCheck: { type: 'string', enum: ['match', 'mismatch', 'not-checked'] },
    scannedAt: { type: 'string' },
  },
  required: ['deviceId', 'counter', 'scanSeq', 'action', 'barcode', 'quantity', 'scannedAt'],
} as const;

export const sessionParams = {
  type: 'object',
  properties: {
    id: {
      type: 'string',
      pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
    },
  },
  required: ['id'],
} as const;
