/** The environment the stack sets on the ingest function (lib/ingest-function.ts). */
export const INGEST_ENV = {
  telemetryTable: 'FLEETPLANE_TELEMETRY_TABLE',
  deviceTable: 'FLEETPLANE_DEVICE_TABLE',
  retentionDays: 'FLEETPLANE_RETENTION_DAYS',
  iotDataEndpoint: 'FLEETPLANE_IOT_DATA_ENDPOINT',
} as const;
