import type { CheckoutResult, DeviceClass, SessionEnd } from '../../contract/index.js';
import type { EntityStore, IngestedEvent } from '../../stores/entities/entity-store.js';
import type { Reconciler } from './reconciler.js';

/**
 * The device API's checkout after ingest accepted the session-end: project it now, rather than
 * wait for the projector to reach it, then reconcile. Projection is idempotent (decision 004), so
 * the projector applying the same event later changes nothing. A duplicate whose first copy the
 * store already holds is not projected again: the first copy is the one that counts.
 */
export function syncCheckout(deps: {
  readonly entities: Pick<EntityStore, 'project' | 'getSessionEnd'>;
  readonly reconciler: Pick<Reconciler, 'reconcile'>;
  /**
   * Brings the entity store up to everything stored so far. The cart's scans came over MQTT and
   * were acknowledged before it sent this frame; projection applies them in batches a little
   * later, and the basket check must see them.
   */
  readonly projectStored?: () => Promise<void>;
}) {
  return async (
    end: SessionEnd,
    device: {
      readonly deviceId: string;
      readonly storeId: string;
      readonly deviceClass: DeviceClass;
    },
    ingested: { readonly status: 'stored' | 'duplicate'; readonly receivedAt: number },
  ): Promise<CheckoutResult> => {
    await deps.projectStored?.();
    const known =
      ingested.status === 'duplicate' && (await deps.entities.getSessionEnd(end.session_id));
    if (!known) {
      const event: IngestedEvent = {
        // Not a change-feed position: projection does not read it.
        seq: 0,
        deviceId: device.deviceId,
        storeId: device.storeId,
        deviceClass: device.deviceClass,
        type: 'session-end',
        counter: end.counter,
        deviceTime: Date.parse(end.ts),
        receivedAt: ingested.receivedAt,
        message: end,
      };
      await deps.entities.project([event]);
    }
    return deps.reconciler.reconcile(end.session_id);
  };
}
