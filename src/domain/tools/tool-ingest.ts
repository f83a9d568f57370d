import type { IngestedEvent, ToolRecords, ToolReport } from '../../stores/entities/entity-store.js';

export interface ToolIngestOptions {
  readonly records: Pick<ToolRecords, 'recordToolReports' | 'expireToolReports'>;
  /** How long a report's dedup row is kept (the projector replays far younger events). */
  readonly ttlMs: number;
}

/**
 * Counts tool reports toward usage and maintenance as projection applies them. A projection
 * listener may see an event again (a crash, a dead-letter replay): the store counts a report
 * once per device and counter, so usage never doubles.
 */
export class ToolIngest {
  constructor(private readonly options: ToolIngestOptions) {}

  readonly applied = async (events: readonly IngestedEvent[]): Promise<void> => {
    const reports: ToolReport[] = [];
    for (const event of events) {
      const m = event.message;
      if (m.type !== 'tool-telemetry') continue;
      reports.push({
        deviceId: event.deviceId,
        counter: event.counter,
        reportedAt: event.deviceTime,
        usageMinutes: m.usage_minutes,
        cycles: m.cycles ?? 0,
        batteryPct: m.battery_pct,
        errorCode: m.error_code ?? null,
        expiresAt: event.deviceTime + this.options.ttlMs,
      });
    }
    if (reports.length > 0) await this.options.records.recordToolReports(reports);
  };

  expire(now: number): Promise<number> {
    return this.options.records.expireToolReports(now);
  }
}
