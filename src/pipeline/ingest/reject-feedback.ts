import {
  MAX_DETAIL_LENGTH,
  SCHEMA_VERSION,
  topics,
  type DeviceMessageType,
  type ErrorFeedback,
  type RejectReason,
} from '../../contract/index.js';

export interface Rejection {
  readonly reason: RejectReason;
  readonly detail: string;
  readonly counter?: number;
  /** Only ever a known message type: decode reports one only after checking it. */
  readonly type?: DeviceMessageType;
}

/** The document a device reads on devices/errors/<its id>. */
export function errorFeedback(deviceId: string, rejection: Rejection, at: Date): ErrorFeedback {
  return {
    schema_version: SCHEMA_VERSION,
    device_id: deviceId,
    type: 'error',
    ts: at.toISOString(),
    reason: rejection.reason,
    ...(rejection.counter !== undefined ? { counter: rejection.counter } : {}),
    ...(rejection.type !== undefined ? { message_type: rejection.type } : {}),
    detail: rejection.detail.slice(0, MAX_DETAIL_LENGTH),
  };
}

/** Sends the rejection to the device's own error topic, whichever broker carries it. */
export function sendRejection(
  publish: (topic: string, payload: Buffer) => Promise<void>,
  deviceId: string,
  rejection: Rejection,
  at: Date,
): Promise<void> {
  const doc = errorFeedback(deviceId, rejection, at);
  return publish(topics.errors(deviceId), Buffer.from(JSON.stringify(doc)));
}
