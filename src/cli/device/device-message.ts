import { randomUUID } from 'node:crypto';
import {
  DEVICE_MESSAGES,
  isDeviceMessageType,
  mayClassSend,
  type DeviceClass,
  type DeviceMessageType,
} from '../../contract/index.js';
import { DEVICE_EXAMPLES } from '../../contract/examples.js';
import { UsageError } from '../command.js';
import type { SendState } from './send-state.js';

/** The message types a device of this class may send, for usage errors and help. */
export function typesFor(deviceClass: DeviceClass): DeviceMessageType[] {
  return (Object.keys(DEVICE_MESSAGES) as DeviceMessageType[]).filter((t) =>
    mayClassSend(deviceClass, t),
  );
}

export function messageType(deviceClass: DeviceClass, type: string): DeviceMessageType {
  if (!isDeviceMessageType(type) || !mayClassSend(deviceClass, type)) {
    throw new UsageError(
      `a ${deviceClass} does not send '${type}'; --type is one of ${typesFor(deviceClass).join(', ')}`,
    );
  }
  return type;
}

/** What the device sends next, and the state to persist before sending it. */
export interface NextMessage {
  readonly message: Record<string, unknown>;
  readonly state: SendState;
}

const SESSION_TYPES: readonly DeviceMessageType[] = ['scan', 'session-end', 'identify'];

/**
 * The message a device sends next: the contract's example of the type with this device's id, next
 * counter, clock and open session, and the fields of `body` (from --body) over it. A body that
 * names its own counter keeps it: sending an old counter again is how to see the cloud's
 * duplicate answer.
 */
export function nextMessage(options: {
  readonly deviceId: string;
  readonly type: DeviceMessageType;
  readonly body?: Record<string, unknown>;
  readonly state: SendState;
  readonly now: Date;
}): NextMessage {
  const { deviceId, type, state, now } = options;
  const counter = state.nextCounter;
  let session = state.session;
  const message = { ...DEVICE_EXAMPLES[type] } as Record<string, unknown>;
  if (type === 'session-start' || (!session && SESSION_TYPES.includes(type))) {
    session = { id: randomUUID(), scans: 0 };
  }
  if (session && 'session_id' in message) message['session_id'] = session.id;
  else delete message['session_id'];
  if (type === 'scan' && session) {
    session = { ...session, scans: session.scans + 1 };
    message['scan_seq'] = session.scans;
  }
  if (type === 'session-end') session = undefined;
  const envelope = {
    schema_version: 1,
    device_id: deviceId,
    type,
    counter,
    ts: now.toISOString(),
  };
  Object.assign(message, envelope, options.body);
  const used = message['counter'];
  const nextCounter =
    typeof used === 'number' && Number.isSafeInteger(used) && used >= counter ? used + 1 : counter;
  return {
    message,
    state: { nextCounter, ...(session ? { session } : {}) },
  };
}
