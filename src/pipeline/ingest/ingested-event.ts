import type { DeviceMessage } from '../../contract/index.js';
import type { IngestedEvent } from '../../stores/entities/entity-store.js';
import type { StoredEvent } from '../../stores/telemetry/telemetry-store.js';

/** A stored telemetry row as the entity store takes it: its body parsed back into the message. */
export function toIngestedEvent(event: StoredEvent): IngestedEvent {
  return {
    seq: event.seq,
    deviceId: event.deviceId,
    storeId: event.storeId,
    deviceClass: event.deviceClass,
    type: event.type,
    counter: event.counter,
    deviceTime: event.deviceTime,
    receivedAt: event.receivedAt,
    // Validated against its schema before it was stored.
    message: JSON.parse(event.body) as DeviceMessage,
  };
}
