import { headers, type MsgHdrs } from '@nats-io/transport-node';
import { isDeviceClass } from '../../contract/index.js';
import type { QueuedMessage } from './ingest-queue.js';

/**
 * How a queued message rides in JetStream: the device's bytes as the data, the rest as headers,
 * so the stream holds exactly what the device sent and a person reading it with the `nats` CLI
 * sees whose it is.
 */
const H = {
  topic: 'Fp-Topic',
  receivedAt: 'Fp-Received-At',
  device: 'Fp-Device',
  store: 'Fp-Store',
  deviceClass: 'Fp-Class',
  counter: 'Fp-Counter',
  error: 'Fp-Error',
  deliveries: 'Fp-Deliveries',
  failedAt: 'Fp-Failed-At',
} as const;

/** JetStream's dedup key for a device message: the same (device, counter) is the same message. */
export function messageId(message: Pick<QueuedMessage, 'deviceId' | 'counter'>): string {
  return `${message.deviceId}:${message.counter}`;
}

export function encodeHeaders(message: QueuedMessage): MsgHdrs {
  const h = headers();
  h.set(H.topic, message.topic);
  h.set(H.receivedAt, String(message.receivedAt));
  h.set(H.device, message.deviceId);
  h.set(H.store, message.storeId);
  h.set(H.deviceClass, message.deviceClass);
  h.set(H.counter, String(message.counter));
  return h;
}

/** Reads a queued message back; throws, saying which header, when one is missing or malformed. */
export function decodeQueued(h: MsgHdrs | undefined, payload: Uint8Array): QueuedMessage {
  const need = (name: string): string => {
    const value = h?.get(name) ?? '';
    if (value === '') throw new Error(`queued message has no ${name} header`);
    return value;
  };
  const integer = (name: string): number => {
    const value = Number(need(name));
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new Error(`queued message's ${name} is not a whole number`);
    }
    return value;
  };
  const deviceClass = need(H.deviceClass);
  if (!isDeviceClass(deviceClass))
    throw new Error(`queued message's class ${deviceClass} is unknown`);
  return {
    topic: need(H.topic),
    payload,
    receivedAt: integer(H.receivedAt),
    deviceId: need(H.device),
    storeId: need(H.store),
    deviceClass,
    counter: integer(H.counter),
  };
}

/** The headers of a dead letter: the message's own and why it failed. */
export function deadLetterHeaders(
  original: MsgHdrs | undefined,
  failure: { readonly error: string; readonly deliveries: number; readonly failedAt: number },
): MsgHdrs {
  const h = headers();
  for (const name of Object.values(H)) {
    const value = original?.get(name);
    if (value) h.set(name, value);
  }
  // A header value is one line; the error is for a person, so its first 500 characters do.
  h.set(H.error, failure.error.replace(/[\r\n]+/g, ' ').slice(0, 500) || 'unknown error');
  h.set(H.deliveries, String(failure.deliveries));
  h.set(H.failedAt, String(failure.failedAt));
  return h;
}

export function deadLetterFailure(h: MsgHdrs | undefined): {
  error: string;
  deliveries: number;
  failedAt: number;
} {
  return {
    error: h?.get(H.error) ?? '',
    deliveries: Number(h?.get(H.deliveries) ?? 0),
    failedAt: Number(h?.get(H.failedAt) ?? 0),
  };
}
