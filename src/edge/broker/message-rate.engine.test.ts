import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import { topicFor, topics, type ErrorFeedback } from '../../contract/index.js';
import { message } from '../../../test-support/messages.js';
import {
  deviceSigner,
  deviceTlsCredentials,
  eventually,
  provisionDevice,
  suitePlatform,
} from '../../../test-support/platform.js';

const RATE = { perSecond: 20, burst: 20 };
const FLOOD = 100;

// Real MQTT 5 devices over mutual TLS against a platform whose devices may publish 20 a second.
describe('the message rate per device on the embedded broker', () => {
  const suite = suitePlatform(
    async (data) => {
      for (const serial of ['CART-0301', 'CART-0302']) await provisionDevice(data, serial);
    },
    {
      mqtt: {
        host: '127.0.0.1',
        port: 0,
        hostnames: ['localhost', '127.0.0.1'],
        messageRate: RATE,
      },
    },
  );

  async function connect(
    t: TestContext,
    serial: string,
  ): Promise<{ client: MqttClient; errors: ErrorFeedback[]; sign: (m: object) => Uint8Array }> {
    const { data, platform } = suite();
    const dir = `${data}/test-devices/${serial}`;
    const client = await mqtt.connectAsync(platform.mqttUrl, {
      ...(await deviceTlsCredentials(dir)),
      clientId: serial,
      protocolVersion: 5,
      reconnectPeriod: 0,
      connectTimeout: 5000,
    });
    t.after(() => client.endAsync(true));
    const errors: ErrorFeedback[] = [];
    client.on('message', (topic, payload) => {
      if (topic === topics.errors(serial))
        errors.push(JSON.parse(String(payload)) as ErrorFeedback);
    });
    await client.subscribeAsync(topics.errors(serial), { qos: 1 });
    return { client, errors, sign: await deviceSigner(dir) };
  }

  it('stores every message of a flooding device once and no faster than its rate, tells it once why, and leaves a calm device fast', async (t) => {
    const { platform } = suite();
    const flooder = await connect(t, 'CART-0301');
    const calm = await connect(t, 'CART-0302');
    const floodTopic = topicFor('cart', 'CART-0301', 'health');
    const calmTopic = topicFor('cart', 'CART-0302', 'health');

    const start = Date.now();
    const flood = Promise.all(
      Array.from({ length: FLOOD }, (_, i) =>
        flooder.client.publishAsync(
          floodTopic,
          Buffer.from(flooder.sign(message('health', 'CART-0301', i + 1))),
          { qos: 1 },
        ),
      ),
    );
    // The calm device publishes once every 200 ms while the other floods.
    const latencies: number[] = [];
    for (let counter = 1; counter <= 10; counter++) {
      const sent = Date.now();
      await calm.client.publishAsync(
        calmTopic,
        Buffer.from(calm.sign(message('health', 'CART-0302', counter))),
        { qos: 1 },
      );
      latencies.push(Date.now() - sent);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const pubacks = await flood;
    const elapsed = Date.now() - start;

    assert.ok(
      pubacks.every((p) => ((p as { reasonCode?: number } | undefined)?.reasonCode ?? 0) === 0),
      'every flooded message acknowledged as taken',
    );
    const floor = ((FLOOD - RATE.burst) / RATE.perSecond) * 1000;
    assert.ok(
      elapsed >= floor - 50,
      `${FLOOD} messages in ${elapsed} ms, the rate allows ${floor}`,
    );
    const stored = await platform.telemetry.latestForDevice('CART-0301', { limit: FLOOD * 2 });
    assert.deepEqual(
      stored.map((e) => e.counter).sort((a, b) => a - b),
      Array.from({ length: FLOOD }, (_, i) => i + 1),
      'each message stored once',
    );
    const notices = await eventually(
      () => (flooder.errors.length > 0 ? flooder.errors : undefined),
      'the notice on the error topic',
    );
    assert.deepEqual(
      notices.map((e) => e.reason),
      ['rate-limited'],
      'one notice for the whole episode',
    );
    assert.deepEqual(calm.errors, [], 'the calm device hears nothing');
    // Held back with the flooder it would wait seconds (its 100 messages take 4 s at least).
    const report = `calm device's latencies ${latencies.join(', ')} ms`;
    latencies.sort((a, b) => a - b);
    assert.ok(latencies[Math.floor(latencies.length / 2)]! < 100, report);
    assert.ok(latencies.at(-1)! < 1_000, report);
    const metrics = await platform.metrics.text();
    assert.match(metrics, /fleetplane_broker_rate_limited_total\{event="episode"\} 1\b/);
  });
});
