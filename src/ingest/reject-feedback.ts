import {
  MAX_DETAIL_LENGTH,
  SCHEMA_VERSION,
  topics,
  type ErrorFeedback,
  type RejectReason,
} from '../contract/index.js';

export interface Rejection {
  readonly reason: RejectReason;
  readonly detail: string;
  readonly counter?: number;
  readonly type?: string;
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
    ...(rejection.type !== undefined && /^[a-z][a-z-]{0,31}$/.test(rejection.type)
      ? { message_type: rejection.type }
      : {}),
    detail: rejection.detail.slice(0, MAX_DETAIL_LENGTH),
  };
}

export function errorTopic(deviceId: string): string {
  return topics.errors(deviceId);
}
