import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import mqtt from 'mqtt';
import {
  RawClient,
  sleep,
  startTestServer,
  waitFor,
} from '../../../../test-support/mqtt-test-server.js';

const TOPIC = 'cmd/dev-1/request';

describe('MQTT server: sessions', () => {
  for (const version of [4, 5] as const) {
    it(`keeps a persistent session's subscriptions and queues QoS 1 messages while the client is away (MQTT ${version})`, async (t) => {
      const { url, server } = await startTestServer(t);
      // MQTT 5 keeps a session only with an expiry interval; 3.1.1 with clean session off.
      const options = {
        clientId: 'dev-1',
        protocolVersion: version,
        clean: false,
        reconnectPeriod: 0,
        ...(version === 5 ? { properties: { sessionExpiryInterval: 3600 } } : {}),
      };
      const first = await mqtt.connectAsync(url, options);
      await first.subscribeAsync(TOPIC, { qos: 1 });
      await first.endAsync();

      for (const n of [1, 2, 3]) await server.publish(TOPIC, Buffer.from(`m${n}`));
      const received: string[] = [];
      const second = mqtt.connect(url, options);
      t.after(() => second.endAsync(true));
      second.on('message', (_topic, payload) => received.push(payload.toString()));
      const connack = await new Promise<{ sessionPresent: boolean }>((resolve) =>
        second.once('connect', resolve),
      );
      assert.equal(connack.sessionPresent, true);
      await waitFor(() => received.length === 3);
      assert.deepEqual(received, ['m1', 'm2', 'm3'], 'in the order published');
      await server.publish(TOPIC, Buffer.from('live'));
      await waitFor(() => received.length === 4);
      assert.equal(server.sessionCount, 1);
    });
  }

  it('sends a message left unacknowledged again, flagged dup, when the session resumes', async (t) => {
    const { port, server } = await startTestServer(t);
    const first = await RawClient.connected(t, port, 'dev-1', 4, { clean: false });
    await first.subscribe([TOPIC]);
    await server.publish(TOPIC, Buffer.from('command'));
    const original = await first.next('publish');
    assert.equal(original.dup, false);
    first.socket.destroy(); // gone without the PUBACK

    const second = await RawClient.connected(t, port, 'dev-1', 4, { clean: false });
    assert.equal(second.connack?.sessionPresent, true);
    const again = await second.next('publish');
    assert.equal(again.dup, true);
    assert.equal(again.messageId, original.messageId);
    assert.equal(String(again.payload), 'command');
    second.send({ cmd: 'puback', messageId: again.messageId! });
    await sleep(50);
    second.socket.destroy();

    const third = await RawClient.connected(t, port, 'dev-1', 4, { clean: false });
    await sleep(100);
    assert.deepEqual(third.publishes(), [], 'acknowledged means delivered: not sent again');
  });

  it('keeps at most maxQueuedPerSession messages for an absent client, dropping the oldest', async (t) => {
    const { port, server } = await startTestServer(t, { maxQueuedPerSession: 3 });
    const first = await RawClient.connected(t, port, 'dev-1', 4, { clean: false });
    await first.subscribe([TOPIC]);
    first.socket.destroy();
    await waitFor(() => server.connectionCount === 0);
    for (const n of [1, 2, 3, 4, 5]) await server.publish(TOPIC, Buffer.from(`m${n}`));
    assert.equal(server.droppedMessages, 2);

    const second = await RawClient.connected(t, port, 'dev-1', 4, { clean: false });
    await waitFor(() => second.received.length >= 3);
    assert.deepEqual(
      second.publishes().map((p) => String(p.payload)),
      ['m3', 'm4', 'm5'],
    );
  });

  it('ends an MQTT 5 session once its expiry interval has passed', async (t) => {
    const { port, server } = await startTestServer(t, { sweepIntervalMs: 50 });
    const expiring = { clean: false, properties: { sessionExpiryInterval: 1 } };
    const first = await RawClient.connected(t, port, 'dev-1', 5, expiring);
    await first.subscribe([TOPIC]);
    first.send({ cmd: 'disconnect' });
    await first.waitClosed();

    // Within the interval the session is there…
    const back = await RawClient.connected(t, port, 'dev-1', 5, expiring);
    assert.equal(back.connack?.sessionPresent, true);
    back.send({ cmd: 'disconnect' });
    await back.waitClosed();
    // …after it, it is gone, and with it the subscription.
    await waitFor(() => server.sessionCount === 0, 3000);
    await server.publish(TOPIC, Buffer.from('nobody'));
    const late = await RawClient.connected(t, port, 'dev-1', 5, expiring);
    assert.equal(late.connack?.sessionPresent, false);
    await sleep(100);
    assert.deepEqual(late.publishes(), []);
  });

  it('ends an MQTT 5 session at disconnect when it has no expiry interval (the default)', async (t) => {
    const { port, server } = await startTestServer(t);
    const first = await RawClient.connected(t, port, 'dev-1', 5, { clean: false });
    await first.subscribe([TOPIC]);
    first.send({ cmd: 'disconnect' });
    await first.waitClosed();
    assert.equal(server.sessionCount, 0);
    const second = await RawClient.connected(t, port, 'dev-1', 5, { clean: false });
    assert.equal(second.connack?.sessionPresent, false);
  });

  it('lets an MQTT 5 DISCONNECT shorten the expiry, but not raise it from 0', async (t) => {
    const { port, server } = await startTestServer(t);
    const kept = await RawClient.connected(t, port, 'dev-1', 5, {
      clean: false,
      properties: { sessionExpiryInterval: 3600 },
    });
    kept.send({ cmd: 'disconnect', properties: { sessionExpiryInterval: 0 } });
    await kept.waitClosed();
    assert.equal(server.sessionCount, 0, 'expiry 0 given at DISCONNECT ends the session');

    const brief = await RawClient.connected(t, port, 'dev-2', 5, { clean: false });
    brief.send({ cmd: 'disconnect', properties: { sessionExpiryInterval: 60 } });
    await brief.waitClosed();
    assert.equal(brief.received.find((p) => p.cmd === 'disconnect')?.reasonCode, 0x82);
  });

  it('caps an MQTT 5 session expiry at its maximum and says so in the CONNACK', async (t) => {
    const { port } = await startTestServer(t, { maxSessionExpirySeconds: 60 });
    const client = await RawClient.connected(t, port, 'dev-1', 5, {
      clean: false,
      properties: { sessionExpiryInterval: 86_400 },
    });
    assert.equal(client.connack?.properties?.sessionExpiryInterval, 60);
  });

  for (const version of [4, 5] as const) {
    it(`discards the stored session on a clean ${version === 4 ? 'session' : 'start'} (MQTT ${version})`, async (t) => {
      const { port, server } = await startTestServer(t);
      const persistent = { clean: false, properties: { sessionExpiryInterval: 3600 } };
      const first = await RawClient.connected(t, port, 'dev-1', version, persistent);
      await first.subscribe([TOPIC]);
      first.socket.destroy();
      await waitFor(() => server.connectionCount === 0);
      await server.publish(TOPIC, Buffer.from('queued'));

      const clean = await RawClient.connected(t, port, 'dev-1', version, { clean: true });
      assert.equal(clean.connack?.sessionPresent, false);
      await sleep(100);
      assert.deepEqual(clean.publishes(), [], 'nothing of the old session arrives');
    });
  }
});
