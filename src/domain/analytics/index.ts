/** Telemetry out for analytics: Parquet per store and day, incremental, masked (decision 057). */
export * from './event-masking.js';
export * from './export-lock.js';
export * from './manifest.js';
export * from './parquet-export.js';
export * from './partitions.js';
