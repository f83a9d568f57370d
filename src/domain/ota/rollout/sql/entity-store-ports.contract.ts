import { TestDevice } from '../../../../../test-support/entity-events.js';
import type { EntityStore, IngestedEvent } from '../../../../stores/entities/entity-store.js';
import type { BootFacts, PortsUnderTest } from '../ports.contract.js';
import { entityStorePorts } from './entity-store-ports.js';

/** The stored ports over an entity store, reached by the fleet through projected events. */
export function entityStorePortsUnderTest(store: EntityStore): PortsUnderTest {
  const devices = new Map<string, TestDevice>();
  const device = (id: string, storeId: string) => {
    let d = devices.get(id);
    if (!d) devices.set(id, (d = new TestDevice(id, storeId)));
    return d;
  };
  const at = (event: IngestedEvent, ms: number): IngestedEvent => ({
    ...event,
    deviceTime: ms,
    receivedAt: ms,
    message: { ...event.message, ts: new Date(ms).toISOString() },
  });
  return {
    ...entityStorePorts(store),
    setTimezone: (storeId, timezone) =>
      store.upsertStore({ storeId, name: storeId, region: null, timezone }),
    async boot(deviceId: string, storeId: string, boot: BootFacts, ms: number) {
      const event = device(deviceId, storeId).event('boot', {
        firmware_version: boot.version,
        hardware_rev: boot.hardwareRev,
        ca_generations: boot.caGenerations,
        rolled_back: boot.rolledBack ?? false,
        reset_reason: boot.resetReason ?? (boot.rolledBack ? 'watchdog' : 'power-on'),
        ...(boot.previousVersion ? { previous_version: boot.previousVersion } : {}),
      });
      await store.project([at(event, ms)]);
    },
    async fault(deviceId: string, storeId: string, ms: number) {
      const event = device(deviceId, storeId).event('fault', {
        code: 'scanner-jam',
        severity: 'warning',
      });
      await store.project([at(event, ms)]);
    },
  };
}
