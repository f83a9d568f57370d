import type { Logger } from '../shared/observability/logger.js';
import type { TelemetryStore } from '../stores/telemetry/telemetry-store.js';
import { periodic } from './periodic.js';
import type { EntityStore } from '../stores/entities/entity-store.js';
import type { IdentityContext } from '../edge/identity/index.js';
import { SqliteProjectionLog } from '../pipeline/ingest/sqlite-projection-log.js';
import { ThreadedTelemetryStore } from '../stores/telemetry/thread/threaded-telemetry-store.js';
import type { PlatformConfig } from './platform-config.js';
import type { PlatformLayout } from './platform-layout.js';

/**
 * Opens the telemetry store, the projection log and the entity store (migrated, with every
 * registered store known to it), pushing each one's close onto `cleanup` as soon as it is open,
 * so a later failure closes what opened.
 */
export async function openPlatformStores(options: {
  readonly config: PlatformConfig;
  readonly layout: PlatformLayout;
  readonly identity: IdentityContext;
  readonly openEntities: (config: PlatformConfig, layout: PlatformLayout) => Promise<EntityStore>;
  readonly cleanup: (() => Promise<unknown>)[];
  readonly progress: (step: string) => void;
}) {
  const { config, layout, identity, cleanup, progress } = options;
  progress(`opening the telemetry store (${layout.telemetryDb})`);
  const telemetry = await ThreadedTelemetryStore.open(layout.telemetryDb, {
    ...(config.retentionDays !== undefined ? { retentionDays: config.retentionDays } : {}),
  });
  cleanup.push(() => telemetry.close());
  const projectionLog = new SqliteProjectionLog(layout.projectionDb);
  cleanup.push(() => projectionLog.close());
  progress(
    config.entityUrl
      ? 'opening the entity store (PostgreSQL)'
      : `opening the entity store (${layout.entitiesDir})`,
  );
  const entities = await options.openEntities(config, layout);
  cleanup.push(() => entities.close());
  await entities.migrate();
  for (const store of await identity.stores.list()) {
    await entities.upsertStore({
      storeId: store.id,
      name: store.name,
      region: store.region,
      timezone: store.timezone,
    });
  }
  return { telemetry, projectionLog, entities };
}

/** Deletes telemetry past its retention once an hour; returns what stops it. */
export function expireTelemetryHourly(
  telemetry: Pick<TelemetryStore, 'expire'>,
  log: Logger,
  now: () => number,
): { stop(): Promise<void> } {
  return periodic(3_600_000, () =>
    telemetry
      .expire(now())
      .then((n) => void (n > 0 && log.info({ expired: n }, 'telemetry past retention deleted')))
      .catch((error: unknown) => log.error({ err: error }, 'telemetry expiry failed')),
  );
}
