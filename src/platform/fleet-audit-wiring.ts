import {
  auditFleet,
  DEFAULT_AUDIT_OPTIONS,
  type RunFleetAudit,
} from '../domain/fleet-audit/fleet-audit.js';
import type { RefusalTally } from '../edge/broker/refusal-tally.js';
import { caStatus, loadFleetCa, type IdentityContext } from '../edge/identity/index.js';
import type { EntityStore } from '../stores/entities/entity-store.js';

/** The audit over this platform's registry, entity store, CA files and refusal tally (decision 047). */
export function platformFleetAudit(deps: {
  readonly identity: IdentityContext;
  readonly entities: EntityStore;
  readonly refusals: RefusalTally;
  readonly startedAt: Date;
  readonly now: () => number;
}): RunFleetAudit {
  return async (options) => {
    const now = new Date(deps.now());
    // Read afresh: a CA rotated or a device provisioned since the start counts.
    const [devices, stores, ca] = await Promise.all([
      deps.identity.devices.list(),
      deps.identity.stores.list(),
      loadFleetCa(deps.identity.layout),
    ]);
    const lastSeen = new Map<string, string>();
    const connected = new Set<string>();
    for (const store of stores) {
      for (const view of await deps.entities.listStoreDevices(store.id)) {
        if (view.lastSeenAt !== null) lastSeen.set(view.deviceId, view.lastSeenAt);
        if (view.connected) connected.add(view.deviceId);
      }
    }
    return auditFleet(
      {
        ...{ now, devices, lastSeen, connected },
        refusals: deps.refusals.summaries(now.getTime()),
        refusalWindowMs: deps.refusals.windowMs,
        refusalsSince: deps.startedAt,
        generations: caStatus(ca, now),
      },
      { ...DEFAULT_AUDIT_OPTIONS, ...options },
    );
  };
}
