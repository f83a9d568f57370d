import {
  DEVICE_CLASSES,
  DEVICE_MESSAGE_TYPES,
  devicePermissions,
  mayClassSend,
  topicFor,
  type DeviceClass,
} from '../../../src/contract/index.js';

/** The policy variable IoT Core replaces with the connected thing's name (its certificate's thing). */
export const THING_NAME = '${iot:Connection.Thing.ThingName}';

/** Builds an IoT resource ARN; the stack passes one that names its region and account. */
export type IotArn = (kind: 'client' | 'topic' | 'topicfilter', name: string) => string;

export interface PolicyStatement {
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: Record<string, Record<string, string>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

/** The exact topics a device of this class publishes on: one per message type its class may send. */
export function publishTopics(deviceClass: DeviceClass, deviceId: string): string[] {
  const all = DEVICE_MESSAGE_TYPES.filter((type) => mayClassSend(deviceClass, type)).map((type) =>
    topicFor(deviceClass, deviceId, type),
  );
  return [...new Set(all)].sort();
}

/** The exact topics a device subscribes to, as the contract lists them (no wildcards). */
export function subscribeTopics(deviceClass: DeviceClass, deviceId: string): string[] {
  return [...devicePermissions(deviceClass, deviceId).subscribe];
}

/** The two halves of a class's device policy; IoT Core allows what either allows. */
export const POLICY_PARTS = ['session', 'publish'] as const;
export type PolicyPart = (typeof POLICY_PARTS)[number];

/**
 * The per-device policy of a device class, attached to each device's certificate at
 * provisioning. Every resource names the connected thing through the policy variable, so the same
 * documents give each device its own topics and nobody else's: it connects only with its thing
 * name as client id and only while its certificate is attached to that thing, publishes only on
 * its class's exact topics (the contract's, not the `dt/+/%u/+` Mosquitto has to settle for), and
 * subscribes and receives only its four inbound topics. No statement holds a wildcard.
 *
 * Two documents, because a cart's exact publish topics alone fill most of IoT Core's 2,048
 * characters a policy: `session` (connect, subscribe, receive) and `publish`.
 */
export function devicePolicyDocuments(
  deviceClass: DeviceClass,
  arn: IotArn,
): Record<PolicyPart, PolicyDocument> {
  const inbound = subscribeTopics(deviceClass, THING_NAME);
  return {
    session: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['iot:Connect'],
          Resource: [arn('client', THING_NAME)],
          Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
        },
        {
          Effect: 'Allow',
          Action: ['iot:Subscribe'],
          Resource: inbound.map((t) => arn('topicfilter', t)),
        },
        { Effect: 'Allow', Action: ['iot:Receive'], Resource: inbound.map((t) => arn('topic', t)) },
      ],
    },
    publish: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['iot:Publish'],
          Resource: publishTopics(deviceClass, THING_NAME).map((t) => arn('topic', t)),
        },
      ],
    },
  };
}

export const POLICY_CLASSES: readonly DeviceClass[] = DEVICE_CLASSES;
