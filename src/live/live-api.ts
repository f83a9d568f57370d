import type { LiveBus } from './live-bus.js';

/** What the API needs for GET /v1/stream, and what its routes publish to. */
export interface LiveApi {
  readonly bus: LiveBus;
  /** Default 15 s (decision 023). */
  readonly heartbeatMs?: number;
  /** Default 1 MiB waiting for one client before it is dropped. */
  readonly maxBufferedBytes?: number;
}

export const DEFAULT_HEARTBEAT_MS = 15_000;
export const DEFAULT_MAX_BUFFERED_BYTES = 1 << 20;
