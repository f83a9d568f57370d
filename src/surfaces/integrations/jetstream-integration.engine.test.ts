import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { apiRequest } from '../../../test-support/api-client.js';
import { message } from '../../../test-support/messages.js';
import { haveNats, NATS_URL, uniqueStream } from '../../../test-support/nats.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
  startTestPlatform,
} from '../../../test-support/platform.js';

// The JetStream sink against the machine's NATS: a stream of the test's own over its own subject
// prefix (deleted after), a cart and a cold-chain sensor, one integration per class.
describe('a JetStream integration through a running platform', () => {
  it('publishes each class and type on its own subject, with the idempotency id as Nats-Msg-Id', async (t) => {
    if (!(await haveNats(t))) return;
    const stream = uniqueStream();
    const nc = await connect({ servers: new URL(NATS_URL).host });
    t.after(() => nc.close());
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [`${stream}.>`] });
    t.after(() => jsm.streams.delete(stream).catch(() => undefined));

    const data = await fleetDataDir(t);
    const cartDir = await provisionDevice(data, 'CART-0901');
    const sensorDir = await provisionDevice(data, 'COLD-0901', 'coldchain');
    const platform = await startTestPlatform(t, data);
    const sink = (subject: string) => ({ kind: 'jetstream', url: NATS_URL, subject });
    const put = await apiRequest(platform, 'PUT', '/v1/integrations', {
      body: {
        integrations: [
          {
            id: 'carts',
            match: { deviceClass: ['cart'] },
            sink: sink(`${stream}.{class}.{type}.{device}`),
            enabled: true,
          },
          {
            id: 'cold',
            match: { deviceClass: ['coldchain'], type: ['coldchain-telemetry'] },
            sink: sink(`${stream}.{store}.cold.{type}`),
            enabled: true,
          },
          {
            id: 'off',
            match: {},
            sink: sink(`${stream}.never`),
            enabled: false,
          },
        ],
      },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));

    const cart = await connectDevice(t, platform.mqttUrl, cartDir);
    const sensor = await connectDevice(t, platform.mqttUrl, sensorDir);
    await cart.send(message('health', 'CART-0901', 1));
    await cart.send(message('boot', 'CART-0901', 2));
    await sensor.send(message('coldchain-telemetry', 'COLD-0901', 1));
    await sensor.send(message('boot', 'COLD-0901', 2));
    await cart.send(message('health', 'CART-0901', 3));

    await eventually(
      async () => ((await jsm.streams.info(stream)).state.messages >= 4 ? true : undefined),
      'four messages in the stream',
      20_000,
    );
    const consumer = await jetstream(nc).consumers.get(stream);
    const got: JsMsg[] = [];
    const batch = await consumer.fetch({ max_messages: 10, expires: 1000 });
    for await (const m of batch) got.push(m);
    // Each integration keeps its own order; the two run side by side, so they may interleave.
    const seen = got.map((m) => [m.subject, m.headers?.get('Nats-Msg-Id')]);
    assert.deepEqual(
      seen.filter(([subject]) => subject?.includes('.cart.')),
      [
        [`${stream}.cart.health.CART-0901`, 'CART-0901:1'],
        [`${stream}.cart.boot.CART-0901`, 'CART-0901:2'],
        [`${stream}.cart.health.CART-0901`, 'CART-0901:3'],
      ],
    );
    assert.deepEqual(
      seen.filter(([subject]) => !subject?.includes('.cart.')),
      [[`${stream}.berlin-1.cold.coldchain-telemetry`, 'COLD-0901:1']],
    );
    const first = got.find((m) => m.subject.includes('.cart.'))!;
    const body = first.json<{ id: string; deviceClass: string; message: { type: string } }>();
    assert.equal(body.id, 'CART-0901:1');
    assert.equal(body.message.type, 'health');

    const status = await eventually(async () => {
      const s = (await apiRequest(platform, 'GET', '/v1/integrations')).body['status'] as {
        id: string;
        delivered: number;
      }[];
      return s.find((x) => x.id === 'carts')?.delivered === 3 ? s : undefined;
    }, 'deliveries counted');
    assert.equal(status.find((x) => x.id === 'cold')?.delivered, 1);
    assert.equal(status.find((x) => x.id === 'off')?.delivered, 0);
  });
});
