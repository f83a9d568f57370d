import { periodic } from './periodic.js';
import { NO_CLOCK_STEPS, type ClockSteps } from './clock-steps.js';
import { topics } from '../contract/index.js';
import type { PlatformConfig } from './platform-config.js';
import type { EntityStore } from '../stores/entities/entity-store.js';
import type { EntityProjector } from '../pipeline/ingest/entity-projector.js';
import type { Logger } from '../shared/observability/logger.js';
import type { PlatformMetrics } from '../shared/observability/metrics.js';
import type { OtaApiDeps } from '../domain/ota/api/ota-api-deps.js';
import type { OtaImages } from '../domain/ota/images/ota-images-wiring.js';
import { RolloutEngine } from '../domain/ota/rollout/rollout-engine.js';
import { entityStorePorts } from '../domain/ota/rollout/sql/entity-store-ports.js';
import { findFirmwareSigningPublicKey } from '../domain/ota/signing/index.js';
import { OtaRolloutGauge } from '../shared/observability/ota-rollout-gauge.js';
import { OTA_JOB_STATES } from '../stores/entities/ota/ota-types.js';

export interface OtaRolloutWiring {
  readonly engine: RolloutEngine;
  readonly api: OtaApiDeps;
  stop(): Promise<void>;
}

/**
 * The rollout engine in the platform (decision 021): its state in the entity store, jobs out on
 * jobs/<id>/notify, job-status and boot messages in from projection (both safe to replay), and a
 * tick on a timer. One engine per entity store: a second platform on the same store must not tick.
 */
export function wireOtaRollouts(options: {
  readonly config: Pick<PlatformConfig, 'dataDir' | 'otaTickMs'>;
  readonly entities: EntityStore;
  readonly projector: EntityProjector;
  readonly publish: (topic: string, payload: Buffer) => Promise<void>;
  readonly images: Pick<OtaImages, 'images' | 'urls'>;
  readonly metrics: PlatformMetrics;
  readonly log: Logger;
  readonly now: () => number;
  /** Steps of the host clock: each tick tells the engine of those since the last (clock-step.ts). */
  readonly clockSteps?: ClockSteps;
  /** Told which rollout changed (the live stream). */
  readonly onChanged?: (rolloutId: string) => void;
}): OtaRolloutWiring {
  const { metrics, log, now } = options;
  const ports = entityStorePorts(options.entities);
  const engine = new RolloutEngine(
    {
      ...ports,
      sender: {
        send: async (deviceId, job) => {
          await options.publish(topics.jobNotify(deviceId), Buffer.from(JSON.stringify(job)));
          metrics.otaJobsSent.inc();
        },
      },
      urls: options.images.urls,
    },
    {
      onRollback: (targetVersion) => {
        metrics.firmwareRollbacks.inc({ target_version: targetVersion });
        log.warn({ targetVersion }, 'a device rolled back from a rollout version');
      },
      ...(options.onChanged ? { onChanged: options.onChanged } : {}),
    },
  );

  options.projector.onApplied(async (events) => {
    for (const event of events) {
      const m = event.message;
      if (m.type === 'job-status') await engine.onJobStatus(event.deviceId, m, event.receivedAt);
      else if (m.type === 'boot') await engine.onBoot(event.deviceId, m, event.receivedAt);
    }
  });

  const gauge = new OtaRolloutGauge(
    metrics.otaRolloutDevices,
    OTA_JOB_STATES,
    metrics.otaActiveRollouts,
  );
  const steps = options.clockSteps ?? NO_CLOCK_STEPS;
  let stepsTicked = steps.totalMs();
  const tick = () => {
    const total = steps.totalMs();
    const stepMs = total - stepsTicked;
    stepsTicked = total;
    if (stepMs !== 0) {
      log.warn({ stepMs }, 'the host clock stepped: rollouts take the step out of their durations');
    }
    return (
      engine
        .tick(now(), stepMs)
        .then((report) => {
          for (const id of report.halted) {
            metrics.otaRollouts.inc({ transition: 'halted' });
            log.warn({ rolloutId: id }, 'rollout halted itself: error-rate regression');
          }
          metrics.otaRollouts.inc({ transition: 'advanced' }, report.advanced.length);
          metrics.otaRollouts.inc({ transition: 'completed' }, report.completed.length);
          for (const e of report.sendErrors)
            log.warn(e, 'ota job could not be sent; retried later');
        })
        .catch((error: unknown) => log.error({ err: error }, 'rollout tick failed'))
        // Devices per state of each active rollout (issue 18), read after the tick moved them.
        .then(() => gauge.refresh(ports.repository))
        .catch((error: unknown) => log.warn({ err: error }, 'rollout gauge not refreshed'))
    );
  };
  const ticks = periodic(options.config.otaTickMs ?? 30_000, tick);

  return {
    engine,
    api: {
      engine,
      images: options.images.images,
      signingKey: () => findFirmwareSigningPublicKey(options.config.dataDir),
    },
    stop: () => ticks.stop(),
  };
}
