import type { FleetSignals } from '../domain/alarms/fleet-signals.js';
import { fleetDiff, type RegisteredDevice } from '../domain/fleet-ops/fleet-diff.js';
import type { StoreRegistry } from '../edge/identity/stores/store-registry.js';
import type { ProjectionLog } from '../pipeline/ingest/projection-log.js';
import { snapshot } from '../shared/observability/metric-sample.js';
import type { PlatformMetrics } from '../shared/observability/metrics.js';
import type { EntityStore } from '../stores/entities/entity-store.js';

/** What the fleet rules read, from the engines this platform runs (decision 040). */
export function platformFleetSignals(deps: {
  readonly metrics: PlatformMetrics;
  readonly stores: StoreRegistry;
  readonly registered: (storeId: string) => Promise<readonly RegisteredDevice[]>;
  readonly entities: EntityStore;
  readonly projectionLog: ProjectionLog;
}): FleetSignals {
  return {
    counters: async () => {
      const s = await snapshot(deps.metrics);
      return {
        storedByStore: s.storedByStore,
        rejectsByStore: s.rejectsByStore,
        authFailuresByStage: s.authFailuresByStage,
      };
    },
    storeIds: async () => (await deps.stores.list()).map((s) => s.id),
    presence: async (storeId, seenWithin, now) => {
      const [registered, known] = await Promise.all([
        deps.registered(storeId),
        deps.entities.listStoreDevices(storeId),
      ]);
      const diff = fleetDiff({
        ...{ storeId, registered, known, now, seenWithin },
        ...{ limit: 0, withDevices: false },
      });
      return {
        expected: diff.expected,
        present: diff.connected + diff.recentlySeen,
        neverSeen: diff.neverSeenCount,
      };
    },
    deadLetters: () => deps.projectionLog.countDeadLetters(),
    haltedRollouts: async () =>
      (await deps.entities.listRollouts({ states: ['halted'] })).map((r) => ({
        rolloutId: r.rolloutId,
        deviceClass: r.deviceClass,
        targetVersion: r.targetVersion,
        haltReason: r.haltReason,
      })),
  };
}
