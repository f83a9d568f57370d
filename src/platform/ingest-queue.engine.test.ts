import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { encodeSigned, topicFor } from '../contract/index.js';
import { queueLayout } from '../pipeline/ingest-queue/jetstream-layout.js';
import { message } from '../../test-support/messages.js';
import {
  haveNats,
  NATS_URL,
  ownNatsServer,
  removeStreamAfter,
  uniqueStream,
} from '../../test-support/nats.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
  startTestPlatform,
} from '../../test-support/platform.js';
import type { RunningPlatform } from './running-platform.js';

type Cart = Awaited<ReturnType<typeof connectDevice>>;

/** Sends counters 1..total, `window` unacknowledged at most; each PUBACK lands in `acknowledged`. */
function send(cart: Cart, deviceId: string, total: number, acknowledged: Set<number>) {
  return (async () => {
    const inFlight: Promise<void>[] = [];
    for (let counter = 1; counter <= total; counter++) {
      inFlight.push(
        cart.send(message('health', deviceId, counter)).then(() => {
          acknowledged.add(counter);
        }),
      );
      if (inFlight.length >= 10) await inFlight.shift();
      await new Promise((r) => setTimeout(r, 3));
    }
    await Promise.all(inFlight);
  })();
}

async function storedCounters(platform: RunningPlatform, deviceId: string): Promise<number[]> {
  const events = await platform.telemetry.latestForDevice(deviceId, { limit: 10_000 });
  return events.map((e) => e.counter);
}

describe('the ingest queue on NATS JetStream, through the platform', () => {
  it('a NATS restart mid-stream loses no acknowledged message and stores none twice', async (t) => {
    const nats = await ownNatsServer(t);
    if (!nats) return;
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-0110');
    const platform = await startTestPlatform(t, data, {
      queue: { url: nats.url, stream: 'RESTART' },
    });
    const cart = await connectDevice(t, platform.mqttUrl, dir);

    const acknowledged = new Set<number>();
    const total = 300;
    const sending = send(cart, 'CART-0110', total, acknowledged);
    await eventually(
      () => (acknowledged.size >= 60 ? true : undefined),
      'traffic before the restart',
    );
    await nats.kill();
    const acknowledgedBeforeRestart = new Set(acknowledged);
    await nats.start();
    await sending;
    assert.equal(acknowledged.size, total, 'every message was eventually acknowledged');

    const counters = await eventually(
      async () => {
        const stored = await storedCounters(platform, 'CART-0110');
        return stored.length >= total ? stored : undefined;
      },
      'the store side catching up after the restart',
      30_000,
    );
    assert.equal(new Set(counters).size, counters.length, 'no counter stored twice');
    for (const c of acknowledgedBeforeRestart) {
      assert.ok(counters.includes(c), `acknowledged ${c} (before the restart) kept`);
    }
    assert.equal(counters.length, total);
  });

  it('refuses a forged message before the queue: the device hears why, the stream never holds it', async (t) => {
    if (!(await haveNats(t))) return;
    const stream = uniqueStream();
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-0112');
    const platform = await startTestPlatform(t, data, { queue: { url: NATS_URL, stream } });
    removeStreamAfter(t, stream);
    const cart = await connectDevice(t, platform.mqttUrl, dir);

    const forged = encodeSigned(message('health', 'CART-0112', 1), (b) =>
      cart.credentials.secureElement.sign(b),
    );
    forged[forged.length - 1]! ^= 0xff;
    await cart.sendRaw(topicFor('cart', 'CART-0112', 'health'), forged);
    await cart.send(message('health', 'CART-0112', 2));
    const feedback = await eventually(() => cart.rejections[0], 'the signature refusal');
    assert.equal(feedback.reason, 'signature');
    assert.equal(feedback.counter, 1);
    await eventually(
      async () => ((await storedCounters(platform, 'CART-0112')).length === 1 ? true : undefined),
      'the genuine message stored',
    );
    assert.deepEqual(await storedCounters(platform, 'CART-0112'), [2]);
    const nc = await connect({ servers: new URL(NATS_URL).host });
    t.after(() => nc.close());
    const info = await (await jetstreamManager(nc)).streams.info(queueLayout(stream).stream);
    assert.equal(info.state.last_seq, 1, 'one message ever entered the stream');
  });

  it('two platforms bound to the same durable share the storing, each message stored once', async (t) => {
    if (!(await haveNats(t))) return;
    const stream = uniqueStream();
    const dataA = await fleetDataDir(t);
    const dataB = await fleetDataDir(t);
    const dir = await provisionDevice(dataA, 'CART-0111');
    const queue = { url: NATS_URL, stream };
    const a = await startTestPlatform(t, dataA, { queue });
    const b = await startTestPlatform(t, dataB, { queue });
    removeStreamAfter(t, stream);
    const cart = await connectDevice(t, a.mqttUrl, dir);

    const acknowledged = new Set<number>();
    const total = 200;
    await send(cart, 'CART-0111', total, acknowledged);
    assert.equal(acknowledged.size, total);

    const [byA, byB] = await eventually(async () => {
      const stored = [await storedCounters(a, 'CART-0111'), await storedCounters(b, 'CART-0111')];
      return stored[0]!.length + stored[1]!.length >= total ? stored : undefined;
    }, 'both platforms storing');
    const all = [...byA!, ...byB!].sort((x, y) => x - y);
    assert.deepEqual(
      all,
      Array.from({ length: total }, (_, i) => i + 1),
      'each stored once',
    );
    assert.ok(
      byB!.length > 0,
      `the platform the cart is not connected to stored some (${byB!.length})`,
    );
    assert.ok(
      byA!.length > 0,
      `the platform the cart is connected to stored some (${byA!.length})`,
    );
  });
});
