import type { StoredEvent } from '../../stores/telemetry/telemetry-store.js';
import { idempotencyId } from './integration-match.js';

/**
 * Fields that carry a person, sealed: a customer's credential in an identify, a tool operator's id
 * in a tool report. Sealed is not anonymous (decision 046 tokenises the operator before any
 * export), so an integration never sends them: the field is left out and named in `withheld`.
 */
const PERSONAL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  identify: ['credential'],
  'tool-telemetry': ['operator'],
};

/** What a sink sends for one stored event (the JSON body of a webhook, a JetStream message). */
export interface OutboundEvent {
  readonly id: string;
  readonly seq: number;
  readonly deviceId: string;
  readonly storeId: string;
  readonly deviceClass: string;
  readonly type: string;
  readonly counter: number;
  readonly deviceTime: string;
  readonly receivedAt: string;
  readonly message: Record<string, unknown>;
  /** The device's signature (hex) over `message` as sent; absent when fields were withheld. */
  readonly signature?: string;
  readonly withheld?: readonly string[];
}

export function outboundEvent(event: StoredEvent): OutboundEvent {
  const message = JSON.parse(event.body) as Record<string, unknown>;
  const withheld = (PERSONAL_FIELDS[event.type] ?? []).filter((f) => f in message);
  for (const field of withheld) delete message[field];
  return {
    id: idempotencyId(event),
    seq: event.seq,
    deviceId: event.deviceId,
    storeId: event.storeId,
    deviceClass: event.deviceClass,
    type: event.type,
    counter: event.counter,
    deviceTime: new Date(event.deviceTime).toISOString(),
    receivedAt: new Date(event.receivedAt).toISOString(),
    message,
    // A message with a field taken out no longer matches its signature: none is sent then.
    ...(withheld.length > 0
      ? { withheld }
      : { signature: Buffer.from(event.signature).toString('hex') }),
  };
}
