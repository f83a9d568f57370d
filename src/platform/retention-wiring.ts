import { Counter, Gauge } from 'prom-client';
import type { RetentionControl, RetentionLastRun } from '../domain/retention/retention-control.js';
import {
  planRetention,
  runRetention,
  type RetentionReport,
  type RetentionStores,
} from '../domain/retention/retention-job.js';
import type { Logger } from '../shared/observability/logger.js';
import type { PlatformMetrics } from '../shared/observability/metrics.js';
import { periodic } from './periodic.js';
import { keepLastRun, readLastRun } from './retention-last-run.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The retention job of the running platform (decision 063): checked every hour and run once a
 * day. With `lastRunFile` the last run outlives a restart: the first check after start runs the
 * job only when the kept run failed or is a day old, so a platform restarted more often than
 * daily applies it once a day, not at each start. Each outcome is a log line and counters on
 * /metrics. It replaces the hourly telemetry expiry, which deleted raw events without folding
 * them into aggregates.
 */
export function scheduleRetention(options: {
  readonly stores: RetentionStores;
  readonly log: Logger;
  readonly metrics: PlatformMetrics;
  readonly now: () => number;
  readonly telemetryHotDays?: number;
  /** Where the last run is kept across restarts (the platform's DIR/retention/last-run.json). */
  readonly lastRunFile?: string;
  /** Tests shorten these; the platform keeps a minute and an hour. */
  readonly firstAfterMs?: number;
  readonly checkEveryMs?: number;
}): RetentionControl & { stop(): Promise<void> } {
  const { stores, log, now } = options;
  const registers = [options.metrics.registry];
  const items = new Counter({
    name: 'fleetplane_retention_items_total',
    help: 'Items the retention job deleted (telemetry events: folded into aggregates, then deleted), by rule and kind.',
    labelNames: ['rule', 'what'] as const,
    registers,
  });
  const lastRunAt = new Gauge({
    name: 'fleetplane_retention_last_run_timestamp_seconds',
    help: 'When the retention job last finished, by outcome (ok or failed).',
    labelNames: ['outcome'] as const,
    registers,
  });
  const jobOptions =
    options.telemetryHotDays !== undefined ? { telemetryHotDays: options.telemetryHotDays } : {};
  let lastRun: RetentionLastRun | null = options.lastRunFile
    ? readLastRun(options.lastRunFile, log)
    : null;
  // When the last successful run started; a failed one leaves the next check to try again.
  let last: number | undefined = lastRun?.outcome === 'ok' ? Date.parse(lastRun.at) : undefined;
  const keep = async (run: RetentionLastRun) => {
    lastRun = run;
    if (options.lastRunFile) await keepLastRun(options.lastRunFile, run, log);
  };
  const apply = async (): Promise<RetentionReport> => {
    const started = now();
    last = started;
    // A run is dated by its start, as its report is (`now`), and the next one counts from there.
    const at = new Date(started).toISOString();
    try {
      const report = await runRetention(stores, new Date(started), jobOptions);
      for (const line of report.lines) {
        if (line.count > 0) items.inc({ rule: line.rule, what: line.what }, line.count);
      }
      lastRunAt.set({ outcome: 'ok' }, now() / 1000);
      await keep({ at, outcome: 'ok', report });
      log.info(
        { retention: Object.fromEntries(report.lines.map((l) => [l.what, l.count])) },
        'retention applied',
      );
      return report;
    } catch (error) {
      lastRunAt.set({ outcome: 'failed' }, now() / 1000);
      await keep({ at, outcome: 'failed', error: String(error) });
      log.error({ err: error }, 'retention failed; the next check tries again');
      last = undefined;
      throw error;
    }
  };
  // One run at a time: the daily check and a requested run queue behind each other.
  let inFlight: Promise<unknown> = Promise.resolve();
  const queued = <T>(work: () => Promise<T>): Promise<T> => {
    const next = inFlight.then(work, work);
    inFlight = next.catch(() => undefined);
    return next;
  };
  const check = () =>
    queued(async () => {
      // A run dated after now (the host clock was stepped back) does not hold the next one off.
      if (last !== undefined && now() >= last && now() - last < DAY_MS) return;
      await apply().catch(() => undefined);
    });
  // The first check soon after start; setInterval's first tick would be an hour away.
  const first = setTimeout(() => void check(), options.firstAfterMs ?? 60_000);
  first.unref();
  const timer = periodic(options.checkEveryMs ?? HOUR_MS, check);
  return {
    plan: () => planRetention(stores, new Date(now()), jobOptions),
    runNow: () => queued(apply),
    status: () => ({
      last: lastRun,
      nextRunAfter: last === undefined ? null : new Date(last + DAY_MS).toISOString(),
    }),
    async stop() {
      clearTimeout(first);
      await timer.stop();
      await inFlight;
    },
  };
}
