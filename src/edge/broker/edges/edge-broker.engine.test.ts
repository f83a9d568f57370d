import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import mqtt from 'mqtt';
import { MAX_PACKET_BYTES, topicFor, topics, type ErrorFeedback } from '../../../contract/index.js';
import { message } from '../../../../test-support/messages.js';
import {
  connectDevice,
  deviceSigner,
  deviceTlsCredentials,
  eventually,
  provisionDevice,
  runCli,
  suitePlatform,
} from '../../../../test-support/platform.js';

// The embedded broker with its device connections held by two edge processes (decision 032):
// the same MQTT behaviour, admission, ingest and revocation as when the platform holds them.
describe('embedded broker on edge processes', () => {
  const suite = suitePlatform(
    async (data) => {
      for (const serial of ['CART-0301', 'CART-0302']) await provisionDevice(data, serial);
    },
    { mqtt: { host: '127.0.0.1', port: 0, hostnames: ['localhost', '127.0.0.1'], edges: 2 } },
  );

  it('admits an MQTT 5 device through an edge, stores what it signs and answers on its topics', async (t) => {
    const { data, platform } = suite();
    const serial = 'CART-0301';
    const dir = `${data}/test-devices/${serial}`;
    const client = mqtt.connect(platform.mqttUrl, {
      ...(await deviceTlsCredentials(dir)),
      clientId: serial,
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    t.after(() => client.endAsync(true));
    const connack = await new Promise<mqtt.IConnackPacket>((resolve, reject) => {
      client.once('connect', resolve);
      client.once('error', reject);
    });
    assert.equal(connack.properties?.maximumPacketSize, MAX_PACKET_BYTES);
    const errors: ErrorFeedback[] = [];
    client.on('message', (_topic, payload) =>
      errors.push(JSON.parse(String(payload)) as ErrorFeedback),
    );
    await client.subscribeAsync(topics.errors(serial), { qos: 1 });

    const sign = await deviceSigner(dir);
    const own = topicFor('cart', serial, 'health');
    const stored = await client.publishAsync(own, Buffer.from(sign(message('health', serial, 1))), {
      qos: 1,
    });
    assert.equal((stored as { reasonCode?: number } | undefined)?.reasonCode ?? 0, 0);
    const forged = sign(message('health', serial, 2));
    forged[forged.length - 1]! ^= 0xff;
    const refused = await client.publishAsync(own, Buffer.from(forged), { qos: 1 }).then(
      () => 0,
      (error: { code?: number }) => error.code ?? -1,
    );
    assert.equal(refused, 0x87);
    const feedback = await eventually(() => errors[0], 'the reason on devices/errors/<id>');
    assert.equal(feedback.reason, 'signature');
    const kept = await platform.telemetry.latestForDevice(serial, { limit: 10 });
    assert.deepEqual(
      kept.map((e) => e.counter),
      [1],
    );
  });

  it('cuts off a device revoked while connected to an edge, and the edges refuse it afterwards', async (t) => {
    const { data, platform } = suite();
    const dir = `${data}/test-devices/CART-0302`;
    const cart = await connectDevice(t, platform.mqttUrl, dir, { reconnect: false });
    await cart.send(message('health', 'CART-0302', 1));
    await runCli('revoke', '--data', data, '--serial', 'CART-0302', '--reason', 'keyCompromise');
    await eventually(
      () => (cart.client.connected ? undefined : true),
      'the connection to close',
      5000,
    );
    await assert.rejects(connectDevice(t, platform.mqttUrl, dir, { reconnect: false }));
    await eventually(
      async () =>
        /auth_failures_total\{stage="(tls|admission)"\} [1-9]/.test(await platform.metrics.text())
          ? true
          : undefined,
      'the refusal counted',
    );
  });
});
