import { periodic } from './periodic.js';
import { CommandService, type CloudPublish } from '../domain/commands/command-service.js';
import type { EntityStore } from '../stores/entities/entity-store.js';
import type { EntityProjector } from '../pipeline/ingest/entity-projector.js';
import type { Logger } from '../shared/observability/logger.js';
import type { PlatformMetrics } from '../shared/observability/metrics.js';
import { ShadowService } from '../domain/shadow/shadow-service.js';
import { CatalogSnapshots } from '../edge/device-api/catalog-snapshots.js';
import { CatalogPush } from '../domain/catalog-push/catalog-push.js';
import type { ApiDeps } from '../surfaces/api/api-deps.js';

/** How often pending commands past their expiry are marked failed (code timeout). */
export const COMMAND_SWEEP_MS = 5_000;

export interface CommandWiring {
  readonly commands: CommandService;
  readonly shadows: ShadowService;
  /** The store catalogs the device API serves; the catalog push rebuilds one after a write. */
  readonly catalogs: CatalogSnapshots;
  /** What the HTTP API needs of these: the ledger, the shadow and the catalog push. */
  readonly api: Required<Pick<ApiDeps, 'commands' | 'shadows' | 'catalogChanged'>>;
  /** Publishes the retained shadow documents again and starts the timeout sweep. */
  start(): void;
  stop(): Promise<void>;
}

/**
 * The command ledger and the device shadow in the platform: answers and reports arrive from
 * projection, a sweep times out what nobody answered, and the desired documents are published
 * again on start (the embedded broker forgets retained messages when it stops). A store's catalog
 * written through the API reaches its carts through their shadows (the catalog push).
 */
export function wireCommands(options: {
  readonly entities: EntityStore;
  readonly projector: EntityProjector;
  readonly publish: CloudPublish;
  readonly metrics: PlatformMetrics;
  readonly log: Logger;
  readonly now: () => number;
  readonly sweepMs?: number;
}): CommandWiring {
  const { entities, publish, metrics, log, now } = options;
  const commands = new CommandService({ entities, publish, metrics });
  const shadows = new ShadowService({ entities, publish, metrics });
  const catalogs = new CatalogSnapshots(entities, now);
  const push = new CatalogPush({ catalogs, devices: entities, shadows, log, now });
  options.projector.onApplied(commands.applied);
  options.projector.onApplied(shadows.applied);
  let sweeps: ReturnType<typeof periodic> | undefined;
  let republished: Promise<unknown> = Promise.resolve();
  const sweep = () =>
    commands
      .sweep(now())
      .then((timedOut) => {
        if (timedOut.length > 0) log.info({ timed_out: timedOut.length }, 'commands timed out');
      })
      .catch((error: unknown) => log.error({ err: error }, 'command sweep failed'));
  return {
    commands,
    shadows,
    catalogs,
    api: { commands, shadows, catalogChanged: (storeId) => push.changed(storeId) },
    start() {
      republished = shadows
        .republishAll(now())
        .then((n) => n > 0 && log.info({ shadows: n }, 'desired shadow documents published'))
        .catch((error: unknown) => log.error({ err: error }, 'could not publish the shadows'));
      sweeps = periodic(options.sweepMs ?? COMMAND_SWEEP_MS, sweep);
    },
    async stop() {
      await sweeps?.stop();
      await republished;
    },
  };
}
