import type { ApiDeps } from '../surfaces/api/api-deps.js';
import type { AlertView, EntityStore } from '../stores/entities/entity-store.js';
import type { IdentityContext } from '../edge/identity/index.js';
import type { EntityProjector } from '../pipeline/ingest/entity-projector.js';
import type { ProjectionLog } from '../pipeline/ingest/projection-log.js';
import { deadLetterFeed } from '../surfaces/live/dead-letter-feed.js';
import { LiveBus } from '../surfaces/live/live-bus.js';
import { ProjectionFeed } from '../surfaces/live/projection-feed.js';
import { RolloutFeed } from '../surfaces/live/rollout-feed.js';
import type { Logger } from '../shared/observability/logger.js';
import { DEFAULT_SAMPLE_MS, MetricSampler } from '../shared/observability/metric-sampler.js';
import type { PlatformMetrics } from '../shared/observability/metrics.js';
import { SqliteMetricHistory } from '../shared/observability/sqlite-metric-history.js';
import { entityStorePorts } from '../domain/ota/rollout/sql/entity-store-ports.js';
import { rolloutStatus } from '../domain/ota/rollout/rollout-status.js';
import { rolloutFailure } from '../domain/ota/rollout/rollout-errors.js';
import type { AlarmEvent } from '../domain/alarms/alarm-service.js';
import { periodic } from './periodic.js';
import type { PlatformConfig } from './platform-config.js';
import type { PlatformLayout } from './platform-layout.js';

export interface LiveWiring {
  readonly bus: LiveBus;
  /** The projection log the projector writes through, so parked and replayed events are told. */
  deadLetters(log: ProjectionLog): ProjectionLog;
  /**
   * Turns what projection applies into live events. Register after the listeners that attach
   * customers to sessions, so a session's first events already know whose it is, and after the
   * shadow service's, so a page reloading a shadow on its event finds the report stored.
   */
  follow(projector: EntityProjector): void;
  /** LossPrevention's onRaised. */
  readonly alertRaised: (alert: AlertView) => void;
  /** The rollout engine's onChanged. */
  readonly rolloutChanged: (rolloutId: string) => void;
  /** The alarm service's notify: each change of an alarm's state, to the ops streams. */
  readonly alarmChanged: (event: AlarmEvent) => void;
  /** What the API takes: the stream, the metric history, the store registry. */
  readonly api: Pick<ApiDeps, 'live' | 'metricHistory' | 'listStores'>;
  stop(): Promise<void>;
}

const ALARM_ACTIONS = {
  'alarm.fired': 'fired',
  'alarm.acknowledged': 'acknowledged',
  'alarm.resolved': 'resolved',
} as const;

/**
 * Decision 023's live updates and metric history in the platform: the bus behind GET /v1/stream
 * and what feeds it, and the sampler that writes DIR/metrics/history.db once per interval.
 */
export function wireLive(options: {
  readonly config: Pick<PlatformConfig, 'metricSampleMs' | 'streamHeartbeatMs'>;
  readonly layout: PlatformLayout;
  readonly entities: EntityStore;
  readonly identity: Pick<IdentityContext, 'stores'>;
  readonly metrics: PlatformMetrics;
  readonly log: Logger;
  readonly now: () => number;
}): LiveWiring {
  const { config, entities, log, now } = options;
  const bus = new LiveBus({ now });
  const intervalMs = config.metricSampleMs ?? DEFAULT_SAMPLE_MS;
  const history = new SqliteMetricHistory(options.layout.metricsHistoryDb, { intervalMs });
  const sampler = new MetricSampler({ metrics: options.metrics, store: history, now });
  const sampling = periodic(intervalMs, () =>
    sampler.sample().then(
      () => undefined,
      (error: unknown) => log.error({ err: error }, 'metric sample failed'),
    ),
  );
  const repository = entityStorePorts(entities).repository;
  const rollouts = new RolloutFeed({
    bus,
    log,
    now,
    status: async (id, at) => {
      const rollout = await repository.get(id);
      if (!rollout) throw rolloutFailure('unknown-rollout', `no rollout ${id}`);
      return rolloutStatus(rollout, await repository.jobsOf(id), at);
    },
  });
  const sessions = new ProjectionFeed({ bus, entities, log });

  return {
    bus,
    deadLetters: (projectionLog) => deadLetterFeed(projectionLog, bus, log),
    follow: (projector) => projector.onApplied(sessions.applied),
    alertRaised: (alert) =>
      bus.publish(
        'alert',
        { storeId: alert.storeId, deviceId: alert.deviceId, sessionId: alert.sessionId },
        { action: 'raised', alert },
      ),
    rolloutChanged: rollouts.changed,
    alarmChanged: ({ kind, alarm }) =>
      bus.publish(
        'alarm',
        {
          storeId: alarm.storeId,
          ...(alarm.deviceId !== null ? { deviceId: alarm.deviceId } : {}),
        },
        { action: ALARM_ACTIONS[kind], alarm },
      ),
    api: {
      live: {
        bus,
        ...(config.streamHeartbeatMs !== undefined
          ? { heartbeatMs: config.streamHeartbeatMs }
          : {}),
      },
      metricHistory: history,
      listStores: async () =>
        (await options.identity.stores.list()).map((s) => ({
          storeId: s.id,
          name: s.name,
          region: s.region,
          timezone: s.timezone,
        })),
    },
    async stop() {
      await sampling.stop();
      await rollouts.stop();
      await sessions.settled();
      history.close();
    },
  };
}
