import {
  DEVICE_MESSAGES,
  isDeviceMessageType,
  mayClassSend,
  type DeviceChannel,
  type DeviceMessageType,
} from './catalog.js';
import { isDeviceClass, isDeviceId, type DeviceClass } from './ids.js';

/**
 * The topic scheme. A device publishes only under its own id, and subscribes only to the four
 * topics the cloud uses to talk to it. Everything that publishes or subscribes builds topics here.
 */
export const topics = {
  telemetry: (deviceClass: DeviceClass, deviceId: string, type: DeviceMessageType) =>
    `dt/${deviceClass}/${deviceId}/${type}`,
  commandRequest: (deviceId: string) => `cmd/${deviceId}/request`,
  commandResponse: (deviceId: string) => `cmd/${deviceId}/response`,
  shadowReported: (deviceId: string) => `shadow/${deviceId}/reported`,
  shadowDesired: (deviceId: string) => `shadow/${deviceId}/desired`,
  jobNotify: (deviceId: string) => `jobs/${deviceId}/notify`,
  jobStatus: (deviceId: string) => `jobs/${deviceId}/status`,
  errors: (deviceId: string) => `devices/errors/${deviceId}`,
} as const;

/** The topic a device publishes a message of this type on. */
export function topicFor(
  deviceClass: DeviceClass,
  deviceId: string,
  type: DeviceMessageType,
): string {
  const channel: DeviceChannel = DEVICE_MESSAGES[type].channel;
  switch (channel) {
    case 'telemetry':
      return topics.telemetry(deviceClass, deviceId, type);
    case 'command-response':
      return topics.commandResponse(deviceId);
    case 'shadow-reported':
      return topics.shadowReported(deviceId);
    case 'job-status':
      return topics.jobStatus(deviceId);
  }
}

/** A topic a device publishes on, taken apart. */
export type DevicePublishTopic =
  | { channel: 'telemetry'; deviceClass: DeviceClass; deviceId: string; type: DeviceMessageType }
  | { channel: Exclude<DeviceChannel, 'telemetry'>; deviceId: string };

/**
 * Topics seen recently and what they parse to. A fleet sends on a few topics per device, over
 * and over, and the ingest and the broker's ACL each parse every message's topic.
 */
const parsedTopics = new Map<string, Readonly<DevicePublishTopic> | null>();
const PARSED_TOPICS_LIMIT = 65_536;

/** Parses a device-to-cloud topic; undefined when it is not one. The result is frozen. */
export function parseDeviceTopic(topic: string): Readonly<DevicePublishTopic> | undefined {
  const known = parsedTopics.get(topic);
  if (known !== undefined) return known ?? undefined;
  const parsed = parseTopic(topic);
  if (parsedTopics.size >= PARSED_TOPICS_LIMIT) parsedTopics.clear();
  parsedTopics.set(topic, parsed ? Object.freeze(parsed) : null);
  return parsed;
}

function parseTopic(topic: string): DevicePublishTopic | undefined {
  const parts = topic.split('/');
  if (parts.length === 4 && parts[0] === 'dt') {
    const [, deviceClass, deviceId, type] = parts as [string, string, string, string];
    if (isDeviceClass(deviceClass) && isDeviceId(deviceId) && isDeviceMessageType(type)) {
      return DEVICE_MESSAGES[type].channel === 'telemetry'
        ? { channel: 'telemetry', deviceClass, deviceId, type }
        : undefined;
    }
    return undefined;
  }
  if (parts.length !== 3 || !isDeviceId(parts[1]!)) return undefined;
  const deviceId = parts[1]!;
  const key = `${parts[0]}/${parts[2]}`;
  if (key === 'cmd/response') return { channel: 'command-response', deviceId };
  if (key === 'shadow/reported') return { channel: 'shadow-reported', deviceId };
  if (key === 'jobs/status') return { channel: 'job-status', deviceId };
  return undefined;
}

/** What a device may do on the broker, derived from its certificate alone. */
export interface DevicePermissions {
  /** Topic filters it may publish to. */
  readonly publish: readonly string[];
  /** Exact topics it may subscribe to (no wildcards). */
  readonly subscribe: readonly string[];
}

export function devicePermissions(deviceClass: DeviceClass, deviceId: string): DevicePermissions {
  return {
    publish: [
      `dt/${deviceClass}/${deviceId}/+`,
      topics.commandResponse(deviceId),
      topics.shadowReported(deviceId),
      topics.jobStatus(deviceId),
    ],
    subscribe: [
      topics.commandRequest(deviceId),
      topics.shadowDesired(deviceId),
      topics.jobNotify(deviceId),
      topics.errors(deviceId),
    ],
  };
}

/** True when this device may publish on `topic` (a concrete topic, never a filter). */
export function mayPublish(deviceClass: DeviceClass, deviceId: string, topic: string): boolean {
  const parsed = parseDeviceTopic(topic);
  if (!parsed || parsed.deviceId !== deviceId) return false;
  if (parsed.channel !== 'telemetry') return true;
  return parsed.deviceClass === deviceClass && mayClassSend(deviceClass, parsed.type);
}

/** True when this device may subscribe with `filter`: only its own four topics, exactly. */
export function maySubscribe(deviceClass: DeviceClass, deviceId: string, filter: string): boolean {
  return devicePermissions(deviceClass, deviceId).subscribe.includes(filter);
}

/**
 * The same ACL for Mosquitto, keyed on the username it takes from the certificate's CN
 * (use_identity_as_username). Mosquitto cannot see the device class, so a cart could publish
 * under dt/coldchain/<its id>/…; ingest then rejects the message with reason `topic`.
 */
export function mosquittoAclPatterns(): string[] {
  return [
    'pattern write dt/+/%u/+',
    'pattern write cmd/%u/response',
    'pattern write shadow/%u/reported',
    'pattern write jobs/%u/status',
    'pattern read cmd/%u/request',
    'pattern read shadow/%u/desired',
    'pattern read jobs/%u/notify',
    'pattern read devices/errors/%u',
  ];
}
