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
 * again in time order from the last reading that settles the detector before the new ones, so a
 * replay writes nothing and a late reading takes its place.
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
      // Only from the last reading that settles the detector (in range, in no excursion) before
      // the new ones: re-deriving a whole trip each batch cost 0.85 s at 30 days of readings.
      const anchor = await records.findExcursionAnchor(pair, pair.earliest);
      const found = detectExcursions(
        await records.listShipmentReadings(pair, anchor),
        shipment.profile,
      );
      const changed = await records.replaceExcursions(
        pair,
        found,
        this.#ttlMs,
        anchor?.readAt ?? null,
      );
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
