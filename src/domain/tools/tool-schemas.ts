import { nullable } from '../../surfaces/api/schemas.js';

/** The OpenAPI shapes of the tool and job-site routes (decision 046). */
export const toolSchema = {
  type: 'object',
  properties: {
    deviceId: { type: 'string' },
    model: { type: 'string' },
    jobSiteId: nullable('string'),
    usageMinutes: { type: 'number' },
    cycles: { type: 'integer' },
    minutesSinceService: { type: 'number' },
    cyclesSinceService: { type: 'integer' },
    servicedAt: nullable('string'),
    services: { type: 'integer' },
    reports: { type: 'integer' },
    lastReportAt: nullable('string'),
    batteryPct: nullable('number'),
    errors: { type: 'integer' },
    lastErrorCode: nullable('string'),
    lastErrorAt: nullable('string'),
    interval: {
      type: 'object',
      properties: { usageMinutes: { type: 'number' }, cycles: { type: 'integer' } },
      required: ['usageMinutes', 'cycles'],
    },
    maintenanceDue: { type: 'boolean' },
    dueReasons: { type: 'array', items: { type: 'string', enum: ['usage', 'cycles'] } },
    serviceUsed: { type: 'number', description: 'Of the nearer limit, the share used (1 = due).' },
  },
  required: ['deviceId', 'model', 'jobSiteId', 'usageMinutes', 'cycles', 'maintenanceDue'],
} as const;

export const serviceSchema = {
  type: 'object',
  properties: {
    deviceId: { type: 'string' },
    servicedAt: { type: 'string' },
    servicedBy: { type: 'string' },
    note: nullable('string'),
    usageMinutes: { type: 'number' },
    cycles: { type: 'integer' },
  },
  required: ['deviceId', 'servicedAt', 'servicedBy', 'note', 'usageMinutes', 'cycles'],
} as const;

export const jobSiteSchema = {
  type: 'object',
  properties: {
    jobSiteId: { type: 'string' },
    tools: { type: 'integer' },
    maintenanceDue: { type: 'integer' },
    withErrors: { type: 'integer' },
    errors: { type: 'integer' },
    usageMinutes: { type: 'number' },
    lowestBatteryPct: nullable('number'),
  },
  required: ['jobSiteId', 'tools', 'maintenanceDue', 'withErrors', 'errors', 'lowestBatteryPct'],
} as const;

export const SITE_ID = '^[A-Za-z0-9._-]{1,64}$';
