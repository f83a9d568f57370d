import type { Logger } from '../../shared/observability/logger.js';
import type {
  ColdChainRecords,
  ColdchainReading,
  IngestedEvent,
} from '../../stores/entities/entity-store.js';
import { detectExcursions } from './excursion-detector.js';

/** As the seed's telemetry table: readings and excursions are kept 90 days unless told. */
export const DEFAULT_COLDCHAIN_TTL_MS = 90 * 24 * 3_600_000;

export interface ColdChainIngestOptions {
  readonly records: ColdChainRecords;
  readonly log: Logger;
  /** How long a stored reading, and an excursion after its start, is kept. */
  readonly ttlMs?: number;
}

/**
 * Turns verified cold-chain readings into shipment readings and excursion records. Registered
 * as a projection listener, so it may see the same events again (a crash, a dead-letter
 * replay): a reading is kept once per device and counter, and a pair's excursions are derived
 * again from all its readings in time order, so a replay writes nothing and a late reading takes
 * its place.
 */
export class ColdChainIngest {
  readonly #ttlMs: number;

  constructor(private readonly options: ColdChainIngestOptions) {
    this.#ttlMs = options.ttlMs ?? DEFAULT_COLDCHAIN_TTL_MS;
  }

  readonly applied = async (events: readonly IngestedEvent[]): Promise<void> => {
    const readings: ColdchainReading[] = [];
    for (const event of events) {
      const m = event.message;
      if (m.type !== 'coldchain-telemetry') continue;
      readings.push({
        deviceId: event.deviceId,
        counter: event.counter,
        readAt: event.deviceTime,
        temperatureC: m.temperature_c,
        humidityPct: m.humidity_pct,
        shockG: m.shock_g,
        expiresAt: event.deviceTime + this.#ttlMs,
      });
    }
    if (readings.length === 0) return;
    const { records } = this.options;
    for (const pair of await records.recordColdchainReadings(readings)) {
      const shipment = await records.getShipment(pair.shipmentId);
      if (!shipment) continue;
      const found = detectExcursions(
        await records.listShipmentReadings(pair.shipmentId, pair.deviceId),
        shipment.profile,
      );
      const changed = await records.replaceExcursions(pair, found, this.#ttlMs);
      if (changed > 0) {
        this.options.log.info(
          { shipmentId: pair.shipmentId, deviceId: pair.deviceId, excursions: found.length },
          'excursions changed',
        );
      }
    }
  };

  /** Deletes readings and excursions past their time; the platform calls this hourly. */
  expire(now: number): Promise<number> {
    return this.options.records.expireColdchain(now);
  }
}
