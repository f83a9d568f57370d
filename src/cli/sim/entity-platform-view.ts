import type { PlatformSession, PlatformView } from '../../device/sim/platform-view.js';
import type { EntityStore, SessionView } from '../../stores/entities/entity-store.js';

const PAGE = 500;

/**
 * The invariant check's view straight onto an entity store: for tests against the embedded
 * platform, and for a CLI run that may open the store itself (--entity-url).
 */
export function entityPlatformView(entities: EntityStore): PlatformView {
  return {
    async getSession(sessionId) {
      const view = await entities.getSession(sessionId);
      return view && toPlatformSession(view);
    },
    async *listStoreSessions(storeId, since, until) {
      let after: Parameters<EntityStore['listStoreSessions']>[1]['after'];
      do {
        const page = await entities.listStoreSessions(storeId, {
          since,
          until,
          limit: PAGE,
          ...(after ? { after } : {}),
        });
        for (const session of page.sessions) yield toPlatformSession(session);
        after = page.next ?? undefined;
      } while (after !== undefined);
    },
    async listStoreDevices(storeId) {
      return (await entities.listStoreDevices(storeId)).map((d) => d.deviceId);
    },
  };
}

export function toPlatformSession(view: SessionView): PlatformSession {
  return {
    sessionId: view.sessionId,
    deviceId: view.deviceId,
    storeId: view.storeId,
    status: view.status,
    startedAt: view.startedAt,
    scanCount: view.scanCount,
    payment: view.payment && { status: view.payment.status, amountCents: view.payment.amountCents },
    mergedInto: view.mergedInto,
  };
}
