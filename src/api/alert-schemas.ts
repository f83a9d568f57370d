import { ALERT_KINDS, ALERT_STATES } from '../entities/entity-store.js';
import { nullable } from './schemas.js';

/** A loss-prevention alert as the API answers with it (and the live stream's `alert` events). */
export const alertView = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    storeId: { type: 'string' },
    deviceId: { type: 'string' },
    sessionId: { type: 'string' },
    counter: { type: 'integer' },
    kind: { type: 'string', enum: [...ALERT_KINDS] },
    at: { type: 'string' },
    evidence: {
      type: 'object',
      additionalProperties: true,
      description:
        'What the cart measured: item count, total, payment status, the weight-mismatched scans with expected and measured weights. Never who the customer is.',
    },
    state: {
      type: 'string',
      enum: [...ALERT_STATES],
      description: 'open → acknowledged → resolved (an open alert may be resolved at once).',
    },
    acknowledgedBy: { ...nullable('string'), description: 'role:subject of who acknowledged it.' },
    acknowledgedAt: nullable('string'),
    resolvedBy: { ...nullable('string'), description: 'role:subject of who resolved it.' },
    resolvedAt: nullable('string'),
  },
  required: [
    'id',
    'storeId',
    'deviceId',
    'sessionId',
    'counter',
    'kind',
    'at',
    'evidence',
    'state',
    'acknowledgedBy',
    'acknowledgedAt',
    'resolvedBy',
    'resolvedAt',
  ],
} as const;
