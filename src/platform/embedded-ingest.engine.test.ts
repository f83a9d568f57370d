import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeSigned, frame, MAX_PAYLOAD_BYTES, topicFor, topics } from '../contract/index.js';
import { message } from '../../test-support/messages.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
  startTestPlatform,
} from '../../test-support/platform.js';

// Real MQTT clients over mutual TLS against the embedded broker, end to end.
describe('embedded platform ingest', () => {
  it('stores a valid signed message once and projects it into the entity store', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-0001');
    const platform = await startTestPlatform(t, data);
    const cart = await connectDevice(t, platform.mqttUrl, dir);

    await cart.send(message('health', 'CART-0001', 1, { battery_pct: 77 }));
    await cart.send(message('scan', 'CART-0001', 2));
    const events = await platform.telemetry.latestForDevice('CART-0001', { limit: 10 });
    assert.deepEqual(
      events.map((e) => e.counter),
      [2, 1],
      'acknowledged means stored',
    );
    const device = await eventually(async () => {
      const d = await platform.entities.getDevice('CART-0001');
      // Connections are written in batches gathered for 20 ms, so the connected flag may land
      // just after the first messages' projection.
      return d?.batteryPct === 77 && d.connected ? d : undefined;
    }, 'projection of the health message and the connection');
    assert.equal(device.storeId, 'berlin-1');
    assert.equal(device.connected, true);
    assert.deepEqual(cart.rejections, []);
  });

  it('answers a repeated counter with replay and stores it only once', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-0002');
    const platform = await startTestPlatform(t, data);
    const cart = await connectDevice(t, platform.mqttUrl, dir);
    const health = message('health', 'CART-0002', 5);
    await cart.send(health);
    await cart.send(health);
    const feedback = await eventually(() => cart.rejections[0], 'replay feedback');
    assert.equal(feedback.reason, 'replay');
    assert.equal(feedback.counter, 5);
    assert.equal(await platform.telemetry.count(), 1);
  });

  it('rejects malformed, oversize, unsigned, forged and wrong-topic messages with the right reason', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-0003');
    await provisionDevice(data, 'CART-0004');
    const platform = await startTestPlatform(t, data);
    const cart = await connectDevice(t, platform.mqttUrl, dir);
    const own = topicFor('cart', 'CART-0003', 'health');
    const sign = (m: object) => encodeSigned(m, (b) => cart.credentials.secureElement.sign(b));

    await cart.sendRaw(own, frame(Buffer.from('{"not json'), new Uint8Array(64)));
    await cart.sendRaw(own, new Uint8Array(MAX_PAYLOAD_BYTES + 1).fill(0x20));
    await cart.sendRaw(own, Buffer.from(JSON.stringify(message('health', 'CART-0003', 3))));
    const forged = sign(message('health', 'CART-0003', 4));
    forged[forged.length - 1]! ^= 0xff;
    await cart.sendRaw(own, forged);
    await cart.sendRaw(own, sign(message('health', 'CART-0003', 5, { battery_pct: 400 })));
    // Its own prefix, but the scan type on the health topic.
    await cart.sendRaw(own, sign(message('scan', 'CART-0003', 6)));
    // Another device's topic: refused by the broker's ACL, answered on the sender's error topic.
    await cart.sendRaw(
      topicFor('cart', 'CART-0004', 'health'),
      sign(message('health', 'CART-0004', 7)),
    );
    await cart.sendRaw(topics.commandRequest('CART-0004'), Buffer.from('{}'));

    const reasons = await eventually(
      () => (cart.rejections.length >= 8 ? cart.rejections.map((r) => r.reason) : undefined),
      'eight rejections',
    );
    assert.deepEqual(
      reasons.sort(),
      ['json', 'schema', 'signature', 'size', 'topic', 'topic', 'topic', 'unsigned'].sort(),
    );
    assert.equal(cart.rejections.find((r) => r.reason === 'signature')?.counter, 4);
    assert.equal(await platform.telemetry.count(), 0, 'nothing rejected is stored');
    const metrics = await platform.metrics.text();
    assert.match(metrics, /fleetplane_ingest_rejects_total\{reason="signature"\} 1/);
    assert.match(metrics, /fleetplane_broker_forbidden_total\{action="publish"\} 2/);
  });

  it('refuses a connection without a fleet certificate and counts it', async (t) => {
    const data = await fleetDataDir(t);
    const platform = await startTestPlatform(t, data);
    const { default: mqtt } = await import('mqtt');
    await assert.rejects(
      mqtt.connectAsync(
        platform.mqttUrl,
        {
          clientId: 'intruder',
          rejectUnauthorized: false,
          reconnectPeriod: 0,
          connectTimeout: 3000,
        },
        false,
      ),
    );
    await eventually(
      async () =>
        (await platform.metrics.text()).match(/auth_failures_total\{stage="tls"\} [1-9]/)
          ? true
          : undefined,
      'auth failure metric',
    );
  });

  it('cuts off a device revoked while connected, and refuses it afterwards, without a restart', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-0005');
    const platform = await startTestPlatform(t, data);
    const cart = await connectDevice(t, platform.mqttUrl, dir, { reconnect: false });
    await cart.send(message('health', 'CART-0005', 1));
    const { runCli } = await import('../../test-support/platform.js');
    await runCli('revoke', '--data', data, '--serial', 'CART-0005', '--reason', 'keyCompromise');
    await eventually(
      () => (cart.client.connected ? undefined : true),
      'the connection to close',
      5000,
    );
    await assert.rejects(connectDevice(t, platform.mqttUrl, dir, { reconnect: false }));
  });
});
