import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  mqttClient,
  RawClient,
  sleep,
  startTestServer,
  waitFor,
} from '../../../../test-support/mqtt-test-server.js';
import { ConnectRefusal } from './reason-codes.js';

describe('MQTT server: connecting', () => {
  for (const version of [4, 5] as const) {
    it(`accepts an MQTT ${version === 4 ? '3.1.1' : '5'} client and tells the owner`, async (t) => {
      const { url, events, server } = await startTestServer(t);
      const client = await mqttClient(t, url, { clientId: 'dev-1', protocolVersion: version });
      assert.equal(client.connected, true);
      assert.deepEqual(events, ['connected dev-1']);
      assert.equal(server.connectionCount, 1);
      await client.endAsync();
      await waitFor(() => events.length === 2);
      assert.deepEqual(events, ['connected dev-1', 'disconnected dev-1']);
      assert.equal(server.connectionCount, 0);
    });
  }

  it('announces its limits in the MQTT 5 CONNACK', async (t) => {
    const { port } = await startTestServer(t, { maxPacketBytes: 40_000, receiveMaximum: 32 });
    const client = await RawClient.open(t, port, 5);
    client.send({ cmd: 'connect', protocolVersion: 5, clientId: 'dev-1', clean: true });
    const connack = await client.next('connack');
    assert.equal(connack.reasonCode, 0);
    assert.deepEqual(connack.properties, {
      maximumPacketSize: 40_000,
      receiveMaximum: 32,
      maximumQoS: 1,
      retainAvailable: true,
      wildcardSubscriptionAvailable: false,
      sharedSubscriptionAvailable: false,
      subscriptionIdentifiersAvailable: false,
      topicAliasMaximum: 0,
    });
  });

  it('refuses MQTT 3.1 and protocol levels it does not know with "unacceptable protocol version"', async (t) => {
    const { port, events } = await startTestServer(t);
    const v31 = await RawClient.open(t, port, 4);
    v31.socket.write(
      // CONNECT, protocol name MQIsdp, level 3, clean, keep-alive 0, client id "a"
      Buffer.from([0x10, 0x0f, 0, 6, ...Buffer.from('MQIsdp'), 3, 2, 0, 0, 0, 1, 0x61]),
    );
    assert.equal((await v31.next('connack')).returnCode, 1);
    await v31.waitClosed();

    const v6 = await RawClient.open(t, port, 4);
    v6.socket.write(
      Buffer.from([0x10, 0x0d, 0, 4, ...Buffer.from('MQTT'), 6, 2, 0, 0, 0, 1, 0x61]),
    );
    assert.equal((await v6.next('connack')).returnCode, 1);
    await v6.waitClosed();
    assert.deepEqual(events, []);
  });

  for (const version of [4, 5] as const) {
    it(`refuses an empty client id at MQTT ${version} (${version === 4 ? '2' : '0x85'})`, async (t) => {
      const { port } = await startTestServer(t);
      const client = await RawClient.open(t, port, version);
      client.send({ cmd: 'connect', protocolVersion: version, clientId: '', clean: true });
      const connack = await client.next('connack');
      assert.equal(
        version === 4 ? connack.returnCode : connack.reasonCode,
        version === 4 ? 2 : 0x85,
      );
      await client.waitClosed();
    });

    it(`answers the owner's refusal with its own code at MQTT ${version}`, async (t) => {
      const { url, events } = await startTestServer(t, {
        hooks: {
          authenticate: (connect) =>
            Promise.reject(
              connect.clientId === 'stranger'
                ? ConnectRefusal.notAuthorized('not ours')
                : ConnectRefusal.badClientId('not the certificate name'),
            ),
        },
      });
      const codes = version === 4 ? [5, 2] : [0x87, 0x85];
      for (const [clientId, code] of [
        ['stranger', codes[0]],
        ['misnamed', codes[1]],
      ] as const) {
        await assert.rejects(
          mqttClient(t, url, { clientId, protocolVersion: version }),
          (error: { code?: number }) => error.code === code,
        );
      }
      assert.deepEqual(events, [], 'a refused client was never connected');
    });

    it(`refuses a CONNECT with a will at MQTT ${version}: devices do not set one`, async (t) => {
      const { url } = await startTestServer(t);
      await assert.rejects(
        mqttClient(t, url, {
          clientId: 'dev-1',
          protocolVersion: version,
          will: { topic: 'status/dev-1', payload: Buffer.from('gone'), qos: 1, retain: false },
        }),
        (error: { code?: number }) => error.code === (version === 4 ? 5 : 0x87),
      );
    });
  }

  it('closes a connection whose first packet is not CONNECT', async (t) => {
    const { port } = await startTestServer(t);
    const client = await RawClient.open(t, port, 4);
    client.send({ cmd: 'pingreq' });
    await client.waitClosed();
    assert.deepEqual(client.received, []);
  });

  it('closes on a second CONNECT, MQTT 5 after DISCONNECT 0x82', async (t) => {
    const { port, events } = await startTestServer(t);
    for (const version of [4, 5] as const) {
      const client = await RawClient.connected(t, port, `dev-${version}`, version);
      client.send({ cmd: 'connect', protocolVersion: version, clientId: 'again', clean: true });
      await client.waitClosed();
      const disconnect = client.received.find((p) => p.cmd === 'disconnect');
      assert.equal(disconnect?.reasonCode, version === 5 ? 0x82 : undefined);
    }
    assert.deepEqual(events, [
      'connected dev-4',
      'disconnected dev-4',
      'connected dev-5',
      'disconnected dev-5',
    ]);
  });

  it('lets a second connection with the same client id take over; MQTT 5 hears 0x8E', async (t) => {
    const { port, events, server } = await startTestServer(t);
    const first = await RawClient.connected(t, port, 'dev-1', 5);
    const second = await RawClient.connected(t, port, 'dev-1', 4);
    await first.waitClosed();
    assert.equal(first.received.find((p) => p.cmd === 'disconnect')?.reasonCode, 0x8e);
    // The old connection is gone before the new one is announced: an owner counting
    // connections never sees the device twice or, after the takeover, not at all.
    assert.deepEqual(events, ['connected dev-1', 'disconnected dev-1', 'connected dev-1']);
    assert.equal(server.connectionCount, 1);
    second.send({ cmd: 'pingreq' });
    await second.next('pingresp');
  });

  it('answers PINGREQ and closes after 1.5 × keep-alive of silence', async (t) => {
    const { port, events } = await startTestServer(t, { sweepIntervalMs: 50 });
    const client = await RawClient.connected(t, port, 'dev-1', 5, { keepalive: 1 });
    // Pinging keeps it alive past the keep-alive period…
    for (let i = 0; i < 4; i++) {
      await sleep(400);
      client.send({ cmd: 'pingreq' });
      await client.next('pingresp');
    }
    // …and silence ends it: not before 1.5 s, and soon after.
    const silentFrom = Date.now();
    await client.waitClosed(3000);
    const silent = Date.now() - silentFrom;
    assert.ok(silent >= 1500, `closed after ${silent} ms of silence`);
    assert.equal(client.received.find((p) => p.cmd === 'disconnect')?.reasonCode, 0x8d);
    assert.deepEqual(events, ['connected dev-1', 'disconnected dev-1']);
  });

  it('closes a connection that has not sent its whole CONNECT within the deadline', async (t) => {
    const { port } = await startTestServer(t, { connectTimeoutMs: 300, sweepIntervalMs: 50 });
    const silent = await RawClient.open(t, port, 4);
    await silent.waitClosed(2000);

    // A byte every 100 ms does not keep a half-sent CONNECT alive.
    const trickle = await RawClient.open(t, port, 4);
    const header = Buffer.from([0x10, 0x7f, 0, 4, ...Buffer.from('MQTT'), 4, 2, 0, 0]);
    const opened = Date.now();
    for (const byte of header) {
      if (trickle.socket.destroyed) break;
      trickle.socket.write(Buffer.from([byte]));
      await sleep(100);
    }
    await trickle.waitClosed(2000);
    assert.ok(Date.now() - opened < 1000, 'closed at the deadline, not extended by the bytes');
  });
});
