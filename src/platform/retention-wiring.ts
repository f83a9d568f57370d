import { Counter, Gauge } from 'prom-client';
import { runRetention, type RetentionStores } from '../domain/retention/retention-job.js';
import type { Logger } from '../shared/observability/logger.js';
import type { PlatformMetrics } from '../shared/observability/metrics.js';
import { periodic } from './periodic.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The retention job of the running platform (decision 063): checked every hour, run at the first
 * check after start and then once a day, so a platform restarted more often than daily still
 * applies it. Each outcome is a log line and counters on /metrics. It replaces the hourly
 * telemetry expiry, which deleted raw events without folding them into aggregates.
 */
export function scheduleRetention(options: {
  readonly stores: RetentionStores;
  readonly log: Logger;
  readonly metrics: PlatformMetrics;
  readonly now: () => number;
  readonly telemetryHotDays?: number;
  /** Tests shorten these; the platform keeps a minute and an hour. */
  readonly firstAfterMs?: number;
  readonly checkEveryMs?: number;
}): { stop(): Promise<void> } {
  const { stores, log, now } = options;
  const registers = [options.metrics.registry];
  const items = new Counter({
    name: 'fleetplane_retention_items_total',
    help: 'Items the retention job deleted (telemetry events: folded into aggregates, then deleted), by rule and kind.',
    labelNames: ['rule', 'what'] as const,
    registers,
  });
  const lastRun = new Gauge({
    name: 'fleetplane_retention_last_run_timestamp_seconds',
    help: 'When the retention job last finished, by outcome (ok or failed).',
    labelNames: ['outcome'] as const,
    registers,
  });
  let last: number | undefined;
  const work = async () => {
    if (last !== undefined && now() - last < DAY_MS) return;
    last = now();
    try {
      const report = await runRetention(stores, new Date(now()), {
        ...(options.telemetryHotDays !== undefined
          ? { telemetryHotDays: options.telemetryHotDays }
          : {}),
      });
      for (const line of report.lines) {
        if (line.count > 0) items.inc({ rule: line.rule, what: line.what }, line.count);
      }
      lastRun.set({ outcome: 'ok' }, now() / 1000);
      log.info(
        { retention: Object.fromEntries(report.lines.map((l) => [l.what, l.count])) },
        'retention applied',
      );
    } catch (error) {
      lastRun.set({ outcome: 'failed' }, now() / 1000);
      log.error({ err: error }, 'retention failed; the next check tries again');
      last = undefined;
    }
  };
  let inFlight: Promise<void> | undefined;
  const check = () => (inFlight ??= work().finally(() => (inFlight = undefined)));
  // The first check soon after start; setInterval's first tick would be an hour away.
  const first = setTimeout(() => void check(), options.firstAfterMs ?? 60_000);
  first.unref();
  const timer = periodic(options.checkEveryMs ?? HOUR_MS, check);
  return {
    async stop() {
      clearTimeout(first);
      await timer.stop();
      await inFlight;
    },
  };
}
