import { Aws } from 'aws-cdk-lib';
import { CfnPolicy, CfnThingType } from 'aws-cdk-lib/aws-iot';
import { Construct } from 'constructs';
import type { DeviceClass } from '../../../src/contract/index.js';
import {
  devicePolicyDocuments,
  POLICY_CLASSES,
  POLICY_PARTS,
  type IotArn,
  type PolicyPart,
} from './device-policy-document.js';

/** An IoT policy name; provisioning attaches both parts of its class to each device's certificate. */
export const devicePolicyName = (deviceClass: DeviceClass, part: PolicyPart): string =>
  `fleetplane-${deviceClass}-${part}`;

const iotArn: IotArn = (kind, name) =>
  `arn:${Aws.PARTITION}:iot:${Aws.REGION}:${Aws.ACCOUNT_ID}:${kind}/${name}`;

/**
 * A thing type and a per-device policy for each device class. Things are named by device id (the
 * certificate's CN), so the policy variable for the thing name is the device id.
 */
export class DevicePolicies extends Construct {
  readonly policies: CfnPolicy[] = [];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    for (const deviceClass of POLICY_CLASSES) {
      new CfnThingType(this, `ThingType-${deviceClass}`, {
        thingTypeName: `fleetplane-${deviceClass}`,
        thingTypeProperties: { thingTypeDescription: `fleetplane ${deviceClass} devices` },
      });
      const documents = devicePolicyDocuments(deviceClass, iotArn);
      for (const part of POLICY_PARTS) {
        this.policies.push(
          new CfnPolicy(this, `Policy-${deviceClass}-${part}`, {
            policyName: devicePolicyName(deviceClass, part),
            policyDocument: documents[part],
          }),
        );
      }
    }
  }
}
