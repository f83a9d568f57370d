import type { RejectReason } from '../../contract/index.js';
import type { Logger } from '../../shared/observability/logger.js';
import type { DeviceHealthRecords, DeviceRejectCount } from '../../stores/entities/entity-store.js';

const HOUR_MS = 3_600_000;

export interface RejectCounterOptions {
  readonly sink: Pick<DeviceHealthRecords, 'recordDeviceRejects'>;
  readonly log: Logger;
  readonly now?: () => number;
  /** How long the first reject of a batch waits for others (ms; 1000). */
  readonly gatherMs?: number;
}

/**
 * Gathers ingest's per-device rejects and writes them to the entity store in batches, so a device
 * rejected a thousand times a second costs one UPSERT a second, not a thousand, and ingest never
 * waits for it: `count` only adds to a map. Counts are folded by (device, reason, hour) as they
 * arrive, so the map holds at most one entry per rejecting device and reason. A batch that cannot
 * be written is logged and dropped: these are diagnostics, and the metrics counted every reject.
 */
export class RejectCounter {
  readonly #options: RejectCounterOptions;
  readonly #now: () => number;
  #pending = new Map<string, DeviceRejectCount>();
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> | undefined;

  constructor(options: RejectCounterOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** One refused message of an authenticated device. */
  count(deviceId: string, reason: RejectReason, at: number): void {
    const hour = Math.floor(at / HOUR_MS);
    const key = `${deviceId}\u0000${reason}\u0000${hour}`;
    const known = this.#pending.get(key);
    this.#pending.set(key, { deviceId, reason, at, count: (known?.count ?? 0) + 1 });
    if (this.#timer === undefined && this.#writing === undefined) {
      this.#timer = setTimeout(() => void this.#drain(), this.#options.gatherMs ?? 1000);
      // A platform that stops flushes; nothing else should wait for this timer.
      this.#timer.unref();
    }
  }

  /** Writes everything counted so far (the platform's stop, and tests). */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#writing !== undefined || this.#pending.size > 0) {
      await (this.#writing ?? this.#drain());
    }
  }

  async #drain(): Promise<void> {
    this.#timer = undefined;
    // Rejects counted while a batch is written go in the next one, written right after.
    while (this.#pending.size > 0 && this.#writing === undefined) {
      const batch = [...this.#pending.values()];
      this.#pending = new Map();
      this.#writing = this.#write(batch);
      await this.#writing;
      this.#writing = undefined;
    }
  }

  async #write(batch: DeviceRejectCount[]): Promise<void> {
    try {
      await this.#options.sink.recordDeviceRejects(batch, this.#now());
    } catch (error: unknown) {
      this.#options.log.error(
        { err: error, rows: batch.length },
        'could not record device rejects',
      );
    }
  }
}
