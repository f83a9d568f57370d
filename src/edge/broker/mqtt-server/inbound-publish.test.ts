import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IPubackPacket } from 'mqtt-packet';
import {
  mqttClient,
  RawClient,
  sleep,
  startTestServer,
  waitFor,
} from '../../../../test-support/mqtt-test-server.js';
import { REASON, type PubackReasonCode } from './reason-codes.js';
import { ACCEPTED, type PublishVerdict } from './server-types.js';

const TOPIC = 'dt/cart/dev-1/health';

/** An onPublish whose answers the test gives, one by one, in any order. */
function heldVerdicts() {
  const waiting: ((verdict: PublishVerdict) => void)[] = [];
  const failing: ((error: Error) => void)[] = [];
  let answerAll = false;
  return {
    waiting,
    failing,
    onPublish: () =>
      answerAll
        ? Promise.resolve(ACCEPTED)
        : new Promise<PublishVerdict>((resolve, reject) => {
            waiting.push(resolve);
            failing.push(reject);
          }),
    /** Answers everything waiting, and from now on answers at once. */
    acceptAll() {
      answerAll = true;
      for (const resolve of waiting) resolve(ACCEPTED);
    },
  };
}

describe('MQTT server: publishes from clients', () => {
  it('hands publishes to the owner as they arrive and sends the PUBACKs in their order, whatever order the owner answers in', async (t) => {
    const verdicts = heldVerdicts();
    const { port } = await startTestServer(t, { hooks: { onPublish: verdicts.onPublish } });
    const client = await RawClient.connected(t, port, 'dev-1', 4);
    for (const id of [1, 2, 3, 4, 5]) client.publish(TOPIC, id);
    // Pipelined: all five reach the owner before any is answered.
    await waitFor(() => verdicts.waiting.length === 5);

    for (const index of [4, 2]) verdicts.waiting[index]!(ACCEPTED);
    await sleep(50);
    assert.deepEqual(client.received, [], 'nothing is acknowledged ahead of the first publish');
    for (const index of [0, 1, 3]) verdicts.waiting[index]!(ACCEPTED);
    await waitFor(() => client.received.length === 5);
    assert.deepEqual(
      client.received.map((p) => (p as IPubackPacket).messageId),
      [1, 2, 3, 4, 5],
    );
  });

  it('sends the PUBACKs of publishes the owner answers together in one write, not one each', async (t) => {
    const verdicts = heldVerdicts();
    const { port, sockets } = await startTestServer(t, {
      hooks: { onPublish: verdicts.onPublish },
    });
    const client = await RawClient.connected(t, port, 'dev-1', 4);
    for (const id of [1, 2, 3, 4, 5, 6]) client.publish(TOPIC, id);
    await waitFor(() => verdicts.waiting.length === 6);
    const socket = sockets[0]!;
    const writes: number[] = [];
    const write = socket.write.bind(socket) as (chunk: Buffer) => boolean;
    socket.write = ((chunk: Buffer) => {
      writes.push(chunk.length);
      return write(chunk);
    }) as typeof socket.write;

    // As a group commit does: every verdict settles in the same turn of the event loop.
    for (const resolve of verdicts.waiting) resolve(ACCEPTED);
    await waitFor(() => client.received.length === 6);
    assert.deepEqual(writes, [6 * 4], 'six 4-byte PUBACKs in one write');
    assert.deepEqual(
      client.received.map((p) => (p as IPubackPacket).messageId),
      [1, 2, 3, 4, 5, 6],
    );
  });

  it('stops reading a connection while receiveMaximum publishes are unanswered, and reads on once they are', async (t) => {
    const verdicts = heldVerdicts();
    const { port, sockets } = await startTestServer(t, {
      receiveMaximum: 8,
      hooks: { onPublish: verdicts.onPublish },
    });
    const client = await RawClient.connected(t, port, 'dev-1', 4);
    const count = 2000;
    const payload = Buffer.alloc(4096, 0x61);
    for (let id = 1; id <= count; id++) client.publish(TOPIC, id, payload);
    await sleep(300);
    assert.equal(verdicts.waiting.length, 8, 'the owner got exactly the window');
    const read = sockets[0]!.bytesRead;
    assert.ok(read < 1024 * 1024, `the server read ${read} of ${count * 4 * 1024} bytes`);

    verdicts.acceptAll();
    await waitFor(() => client.received.length === count, 10_000);
    const ids = client.received.map((p) => (p as IPubackPacket).messageId);
    assert.deepEqual(
      ids,
      Array.from({ length: count }, (_, i) => i + 1),
    );
  });

  it("puts the owner's reason code in an MQTT 5 PUBACK; a 3.1.1 PUBACK has none", async (t) => {
    const codes: Record<string, PubackReasonCode> = {
      'dt/cart/dev-1/health': REASON.success,
      'dt/cart/other/health': REASON.notAuthorized,
      'dt/cart/dev-1/bad': REASON.payloadFormatInvalid,
    };
    const { url } = await startTestServer(t, {
      hooks: { onPublish: (_id, { topic }) => Promise.resolve({ reasonCode: codes[topic]! }) },
    });
    const v5 = await mqttClient(t, url, { clientId: 'dev-5', protocolVersion: 5 });
    const outcomes: (number | undefined)[] = [];
    for (const topic of Object.keys(codes)) {
      await v5.publishAsync(topic, 'x', { qos: 1 }).then(
        (packet) => outcomes.push((packet as IPubackPacket | undefined)?.reasonCode ?? 0),
        (error: { code?: number }) => outcomes.push(error.code),
      );
    }
    assert.deepEqual(outcomes, [0x00, 0x87, 0x99]);
    assert.equal(v5.connected, true, 'a refused publish does not cost the connection');

    const v4 = await mqttClient(t, url, { clientId: 'dev-4', protocolVersion: 4 });
    for (const topic of Object.keys(codes)) await v4.publishAsync(topic, 'x', { qos: 1 });
  });

  for (const version of [4, 5] as const) {
    it(`closes without the PUBACK when the owner fails to take a publish (MQTT ${version})`, async (t) => {
      const { port, events } = await startTestServer(t, {
        hooks: {
          onPublish: (_id, { payload }) =>
            String(payload) === 'fails'
              ? Promise.reject(new Error('store down'))
              : Promise.resolve(ACCEPTED),
        },
      });
      const client = await RawClient.connected(t, port, 'dev-1', version);
      client.publish(TOPIC, 1, 'stored');
      client.publish(TOPIC, 2, 'fails');
      client.publish(TOPIC, 3, 'stored');
      await client.waitClosed();
      const acked = client.received.filter((p) => p.cmd === 'puback');
      assert.deepEqual(
        acked.map((p) => p.messageId),
        [1],
        'the publish before is acknowledged; the failed one and those after are not',
      );
      const disconnect = client.received.find((p) => p.cmd === 'disconnect');
      assert.equal(disconnect?.reasonCode, version === 5 ? REASON.serverBusy : undefined);
      assert.deepEqual(events, ['connected dev-1', 'disconnected dev-1']);
    });
  }

  for (const version of [4, 5] as const) {
    it(`refuses a packet larger than the maximum it announced (MQTT ${version})`, async (t) => {
      const { port, published } = await startTestServer(t, { maxPacketBytes: 1024 });
      const fits = await RawClient.connected(t, port, 'dev-1', version);
      fits.publish(TOPIC, 1, Buffer.alloc(900));
      await fits.next('puback');
      fits.publish(TOPIC, 2, Buffer.alloc(1100));
      await fits.waitClosed();
      const disconnect = fits.received.find((p) => p.cmd === 'disconnect');
      assert.equal(disconnect?.reasonCode, version === 5 ? REASON.packetTooLarge : undefined);
      assert.equal(published.length, 1);

      // A packet announcing 100 MB is refused on its header, not buffered first.
      const huge = await RawClient.connected(t, port, 'dev-2', version);
      huge.socket.write(Buffer.from([0x32, 0x80, 0x80, 0x80, 0x30]));
      huge.socket.write(Buffer.alloc(64 * 1024));
      await huge.waitClosed();
    });
  }

  it('refuses QoS 2, topic aliases and wildcard topic names from an MQTT 5 client with the reason', async (t) => {
    const { port, published } = await startTestServer(t);
    const cases = [
      [{ qos: 2 as const, topic: TOPIC }, REASON.qosNotSupported],
      [{ qos: 1 as const, topic: TOPIC, properties: { topicAlias: 1 } }, REASON.topicAliasInvalid],
      [{ qos: 1 as const, topic: 'dt/cart/+/health' }, REASON.topicNameInvalid],
    ] as const;
    for (const [publish, reason] of cases) {
      const client = await RawClient.connected(t, port, 'dev-1', 5);
      client.send({
        cmd: 'publish',
        payload: Buffer.from('x'),
        retain: false,
        dup: false,
        messageId: 1,
        ...publish,
      });
      await client.waitClosed();
      assert.equal(client.received.find((p) => p.cmd === 'disconnect')?.reasonCode, reason);
    }
    assert.equal(published.length, 0);
  });

  it('closes a connection whose PUBLISH topic is ill-formed UTF-8 as a malformed packet, 0x81 on MQTT 5', async (t) => {
    const { port, published } = await startTestServer(t);
    for (const version of [4, 5] as const) {
      const client = await RawClient.connected(t, port, `dev-${version}`, version);
      const topic = Buffer.concat([Buffer.from('dt/cart/dev-1/'), Buffer.from([0xc3, 0x28])]);
      const body = Buffer.concat([
        Buffer.from([0, topic.length]),
        topic,
        Buffer.from([0, 1]),
        version === 5 ? Buffer.from([0]) : Buffer.alloc(0),
        Buffer.from('x'),
      ]);
      client.socket.write(Buffer.concat([Buffer.from([0x32, body.length]), body]));
      await client.waitClosed();
      const disconnect = client.received.find((p) => p.cmd === 'disconnect');
      assert.equal(disconnect?.reasonCode, version === 5 ? REASON.malformedPacket : undefined);
    }
    assert.equal(published.length, 0, 'never handed to the owner');
  });

  it('closes a 3.1.1 connection that publishes at QoS 2', async (t) => {
    const { port, published } = await startTestServer(t);
    const client = await RawClient.connected(t, port, 'dev-1', 4);
    client.send({
      cmd: 'publish',
      topic: TOPIC,
      payload: Buffer.from('x'),
      qos: 2,
      retain: false,
      dup: false,
      messageId: 1,
    });
    await client.waitClosed();
    assert.deepEqual(client.received, []);
    assert.equal(published.length, 0);
  });
});
