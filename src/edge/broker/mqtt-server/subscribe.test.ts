import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  mqttClient,
  RawClient,
  sleep,
  startTestServer,
  waitFor,
} from '../../../../test-support/mqtt-test-server.js';
import { REASON } from './reason-codes.js';

const ALLOWED = 'cmd/dev-1/request';
const SHADOW = 'shadow/dev-1/desired';

describe('MQTT server: subscriptions and delivery', () => {
  for (const version of [4, 5] as const) {
    it(`answers each filter in the SUBACK and keeps the connection when one is refused (MQTT ${version})`, async (t) => {
      const { port } = await startTestServer(t, {
        hooks: { authorizeSubscribe: (_id, filter) => filter.includes('dev-1') },
      });
      const client = await RawClient.connected(t, port, 'dev-1', version);
      client.send({
        cmd: 'subscribe',
        messageId: 7,
        subscriptions: [
          { topic: ALLOWED, qos: 2 },
          { topic: 'cmd/dev-2/request', qos: 1 },
          { topic: 'cmd/+/request', qos: 1 },
          { topic: '$share/group/cmd/dev-1/request', qos: 1 },
          { topic: SHADOW, qos: 0 },
        ],
      });
      const suback = await client.next('suback');
      assert.equal(suback.messageId, 7);
      const refused = 0x80;
      assert.deepEqual(
        suback.granted,
        version === 5
          ? [
              1,
              REASON.notAuthorized,
              REASON.wildcardSubscriptionsNotSupported,
              REASON.sharedSubscriptionsNotSupported,
              0,
            ]
          : [1, refused, refused, refused, 0],
        'QoS 2 is granted as 1',
      );
      client.send({ cmd: 'pingreq' });
      await client.next('pingresp');
    });
  }

  it('tells the owner the filters a subscribe added, not those a kept session already held', async (t) => {
    const added: string[][] = [];
    const { url } = await startTestServer(t, {
      hooks: { subscribed: (_id, filters) => void added.push([...filters]) },
    });
    const persistent = { clientId: 'dev-1', protocolVersion: 4, clean: false } as const;
    const first = await mqttClient(t, url, persistent);
    await first.subscribeAsync([ALLOWED, SHADOW], { qos: 1 });
    await first.subscribeAsync(ALLOWED, { qos: 1 });
    await first.endAsync();
    // The session was kept: subscribing again on reconnect adds nothing it missed.
    const kept = await mqttClient(t, url, persistent);
    await kept.subscribeAsync([ALLOWED, SHADOW], { qos: 1 });
    await kept.endAsync();
    // A clean session starts without subscriptions: both are new again.
    const fresh = await mqttClient(t, url, { ...persistent, clean: true });
    await fresh.subscribeAsync([ALLOWED, SHADOW], { qos: 1 });
    await waitFor(() => added.length === 2);
    assert.deepEqual(added, [
      [ALLOWED, SHADOW],
      [ALLOWED, SHADOW],
    ]);
  });

  it('delivers to the subscribers of a topic only, at the granted QoS', async (t) => {
    const { url, server } = await startTestServer(t);
    const one = await mqttClient(t, url, { clientId: 'dev-1', protocolVersion: 5 });
    const two = await mqttClient(t, url, { clientId: 'dev-2', protocolVersion: 4 });
    await one.subscribeAsync(ALLOWED, { qos: 1 });
    await two.subscribeAsync('cmd/dev-2/request', { qos: 0 });
    const got: string[] = [];
    one.on('message', (topic, payload, packet) => got.push(`1 ${topic} ${payload} q${packet.qos}`));
    two.on('message', (topic, payload, packet) => got.push(`2 ${topic} ${payload} q${packet.qos}`));

    await server.publish(ALLOWED, Buffer.from('a'));
    await server.publish('cmd/dev-2/request', Buffer.from('b'));
    await server.publish('cmd/dev-3/request', Buffer.from('c'));
    await waitFor(() => got.length === 2);
    await sleep(50);
    assert.deepEqual(got.sort(), ['1 cmd/dev-1/request a q1', '2 cmd/dev-2/request b q0']);
    await assert.rejects(server.publish('cmd/+/request', Buffer.from('x')));
  });

  it('sends the retained message after the SUBACK, and an empty retained publish deletes it', async (t) => {
    const { port, server } = await startTestServer(t);
    await server.publish(SHADOW, Buffer.from('{"v":1}'), { retain: true });
    await server.publish(SHADOW, Buffer.from('{"v":2}'), { retain: true });

    const first = await RawClient.connected(t, port, 'dev-1', 5);
    first.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: SHADOW, qos: 1 }] });
    await waitFor(() => first.received.length === 2);
    assert.deepEqual(
      first.received.map((p) => p.cmd),
      ['suback', 'publish'],
    );
    const retained = first.publishes()[0]!;
    assert.equal(String(retained.payload), '{"v":2}', 'the latest retained message');
    assert.equal(retained.retain, true);
    first.send({ cmd: 'puback', messageId: retained.messageId! });

    // A live publish to a subscriber carries retain 0, and the retained copy stays.
    await server.publish(SHADOW, Buffer.from('{"v":3}'), { retain: true });
    const live = await first.next('publish');
    assert.equal(live.retain, false);

    await server.publish(SHADOW, Buffer.alloc(0), { retain: true });
    const second = await RawClient.connected(t, port, 'dev-2', 4);
    assert.deepEqual(await second.subscribe([SHADOW]), [1]);
    await sleep(100);
    assert.deepEqual(second.publishes(), [], 'nothing retained any more');
  });

  it('honours MQTT 5 Retain Handling: 1 sends the retained message for a new subscription only, 2 never', async (t) => {
    const { port, server } = await startTestServer(t);
    await server.publish(SHADOW, Buffer.from('kept'), { retain: true });
    const client = await RawClient.connected(t, port, 'dev-1', 5);
    for (const [rh, expected] of [
      [1, 1],
      [1, 0],
      [2, 0],
    ] as const) {
      client.send({
        cmd: 'subscribe',
        messageId: 1,
        subscriptions: [{ topic: SHADOW, qos: 0, rh }],
      });
      await client.next('suback');
      await sleep(50);
      assert.equal(client.publishes().length, expected, `rh ${rh}`);
    }
  });

  it('unsubscribes, telling an MQTT 5 client which filters had a subscription', async (t) => {
    const { port, server } = await startTestServer(t);
    const client = await RawClient.connected(t, port, 'dev-1', 5);
    await client.subscribe([ALLOWED]);
    client.send({ cmd: 'unsubscribe', messageId: 2, unsubscriptions: [ALLOWED, SHADOW] });
    const unsuback = await client.next('unsuback');
    assert.deepEqual(unsuback.granted, [REASON.success, REASON.noSubscriptionExisted]);
    await server.publish(ALLOWED, Buffer.from('x'));
    await sleep(50);
    assert.deepEqual(client.publishes(), []);
  });

  it('keeps no more than receiveMaximum QoS 1 messages in flight to a client', async (t) => {
    const { port, server } = await startTestServer(t, { receiveMaximum: 2 });
    const client = await RawClient.connected(t, port, 'dev-1', 4);
    await client.subscribe([ALLOWED]);
    for (const n of [1, 2, 3, 4]) await server.publish(ALLOWED, Buffer.from(`m${n}`));
    await sleep(50);
    const first = client.publishes();
    assert.deepEqual(
      first.map((p) => String(p.payload)),
      ['m1', 'm2'],
    );
    client.send({ cmd: 'puback', messageId: first[0]!.messageId! });
    await waitFor(() => client.received.length === 1);
    assert.deepEqual(
      client.publishes().map((p) => String(p.payload)),
      ['m3'],
    );
  });
});
