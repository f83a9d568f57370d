import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEVICE_CLASSES,
  DEVICE_MESSAGE_TYPES,
  devicePermissions,
  mayPublish,
  maySubscribe,
  topics,
  type DeviceClass,
} from '../../../src/contract/index.js';
import { devicePolicyName } from '../lib/device-policies.js';
import { POLICY_PARTS } from '../lib/device-policy-document.js';
import {
  allows,
  iotResource,
  resolveCfn,
  type Account,
  type Connection,
  type Policy,
} from './iot-policy-evaluator.js';
import { stackTemplate } from './synth-fixture.js';

const ACCOUNT: Account = { partition: 'aws', region: 'eu-central-1', accountId: '123456789012' };
const A = 'CART-0001';
const B = 'CART-0002';
const attached = (thingName: string): Connection => ({ thingName, attached: true });

const { template } = stackTemplate();
const policies = new Map<string, Policy>(
  Object.values(template.findResources('AWS::IoT::Policy')).map((r) => [
    r['Properties'].PolicyName as string,
    r['Properties'].PolicyDocument as Policy,
  ]),
);
/** What a device of the class has attached: both parts, as one policy (IoT takes the union). */
const policyOf = (deviceClass: DeviceClass): Policy => {
  const parts = POLICY_PARTS.map((part) => policies.get(devicePolicyName(deviceClass, part)));
  assert.ok(parts.every(Boolean), `missing a policy of ${deviceClass}`);
  return { Version: '2012-10-17', Statement: parts.flatMap((p) => p!.Statement) };
};

const may = (
  c: DeviceClass,
  thing: string,
  action: string,
  kind: 'topic' | 'topicfilter' | 'client',
  name: string,
) => allows(policyOf(c), ACCOUNT, attached(thing), action, iotResource(ACCOUNT, kind, name));

/** Every topic any device of any class might try: its own, another's, and filters with wildcards. */
function candidateTopics(): string[] {
  const out = new Set<string>();
  for (const id of [A, B, '+', '#', 'CART-000*']) {
    for (const c of DEVICE_CLASSES) {
      const p = devicePermissions(c, id);
      for (const t of [...p.publish, ...p.subscribe]) out.add(t);
      for (const type of DEVICE_MESSAGE_TYPES) out.add(topics.telemetry(c, id, type));
      out.add(`dt/${c}/${id}/#`);
    }
    out.add(`cmd/${id}/#`).add(`devices/errors/${id}/x`).add(`claim/${id}/request`);
  }
  return [...out.add('#').add('+/+/+/+').add('$aws/things/CART-0001/shadow/update')];
}

describe('the per-device IoT policy', () => {
  it('exists for every device class', () => {
    const expected = DEVICE_CLASSES.flatMap((c) => POLICY_PARTS.map((p) => devicePolicyName(c, p)));
    assert.deepEqual([...policies.keys()].sort(), expected.sort());
  });

  it('lets a device publish exactly what the contract lets it publish, and nothing of another device', () => {
    for (const c of DEVICE_CLASSES) {
      for (const topic of candidateTopics()) {
        assert.equal(
          may(c, A, 'iot:Publish', 'topic', topic),
          !/[+#*]/.test(topic) && mayPublish(c, A, topic),
          `${c} ${A} publish ${topic}`,
        );
      }
    }
  });

  it('lets a device subscribe and receive only its own four topics, never with a wildcard', () => {
    for (const c of DEVICE_CLASSES) {
      for (const topic of candidateTopics()) {
        const expected = maySubscribe(c, A, topic);
        assert.equal(
          may(c, A, 'iot:Subscribe', 'topicfilter', topic),
          expected,
          `${c} subscribe ${topic}`,
        );
        assert.equal(may(c, A, 'iot:Receive', 'topic', topic), expected, `${c} receive ${topic}`);
      }
    }
  });

  it("refuses device A on device B's topics though both carry the same policy", () => {
    assert.equal(may('cart', A, 'iot:Publish', 'topic', topics.telemetry('cart', A, 'scan')), true);
    assert.equal(
      may('cart', A, 'iot:Publish', 'topic', topics.telemetry('cart', B, 'scan')),
      false,
    );
    assert.equal(may('cart', B, 'iot:Publish', 'topic', topics.telemetry('cart', B, 'scan')), true);
    assert.equal(may('cart', A, 'iot:Subscribe', 'topicfilter', topics.commandRequest(B)), false);
    assert.equal(may('cart', A, 'iot:Receive', 'topic', topics.errors(B)), false);
    // A cart may not send a cold-chain reading even under its own id.
    assert.equal(
      may(
        'cart',
        A,
        'iot:Publish',
        'topic',
        topics.telemetry('coldchain', A, 'coldchain-telemetry'),
      ),
      false,
    );
  });

  it('lets a device connect only as itself, with its certificate attached to its thing', () => {
    const connect = (connection: Connection, clientId: string) =>
      allows(
        policyOf('cart'),
        ACCOUNT,
        connection,
        'iot:Connect',
        iotResource(ACCOUNT, 'client', clientId),
      );
    assert.equal(connect(attached(A), A), true);
    assert.equal(connect(attached(A), B), false);
    assert.equal(connect({ thingName: A, attached: false }, A), false);
  });

  it('holds no wildcard in any resource', () => {
    for (const [name, policy] of policies) {
      for (const s of policy.Statement) {
        for (const r of [s.Resource].flat()) {
          const arn = resolveCfn(r, ACCOUNT).replaceAll('${iot:Connection.Thing.ThingName}', 'X');
          assert.doesNotMatch(arn, /[*?+#]/, `${name}: ${arn}`);
        }
      }
    }
  });

  it("fits each document in IoT Core's 2,048 characters, in the longest partition and region", () => {
    // IoT counts the stored document without whitespace, its ARNs resolved.
    const longest: Account = {
      partition: 'aws-us-gov',
      region: 'ap-southeast-2',
      accountId: '123456789012',
    };
    for (const [name, policy] of policies) {
      const resolved = JSON.stringify({
        ...policy,
        Statement: policy.Statement.map((s) => ({
          ...s,
          Resource: [s.Resource].flat().map((r) => resolveCfn(r, longest)),
        })),
      });
      assert.ok(resolved.length <= 2048, `${name} is ${resolved.length} characters`);
      console.log(`${name}: ${resolved.length} characters`);
    }
  });
});
