import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { encodeSigned } from '../../contract/index.js';
import { main } from '../main.js';
import { platformCommands } from './index.js';
import { capture } from '../../../test-support/cli.js';
import { message } from '../../../test-support/messages.js';
import { haveNats, NATS_URL, removeStreamAfter, uniqueStream } from '../../../test-support/nats.js';
import {
  eventually,
  fleetDataDir,
  provisionDevice,
  startTestPlatform,
} from '../../../test-support/platform.js';
import type { QueuedMessage } from '../../pipeline/ingest-queue/ingest-queue.js';
import {
  deadLetterHeaders,
  encodeHeaders,
  messageId,
} from '../../pipeline/ingest-queue/jetstream-codec.js';
import { queueLayout } from '../../pipeline/ingest-queue/jetstream-layout.js';

const queued = (counter: number, payload: Uint8Array): QueuedMessage => ({
  topic: `carts/CART-0402/telemetry/health`,
  payload,
  receivedAt: Date.now(),
  deviceId: 'CART-0402',
  storeId: 'berlin-1',
  deviceClass: 'cart',
  counter,
});

describe('the ingest queue dead letters from the command line', () => {
  it('lists what the store side gave up on, and replays it: a good message is stored, a bad one parked again', async (t) => {
    if (!(await haveNats(t))) return;
    const stream = uniqueStream();
    const data = await fleetDataDir(t);
    await provisionDevice(data, 'CART-0402');
    const platform = await startTestPlatform(t, data, {
      queue: { url: NATS_URL, stream, maxDeliveries: 2 },
    });
    removeStreamAfter(t, stream);
    const layout = queueLayout(stream);
    const nc = await connect({ servers: new URL(NATS_URL).host });
    t.after(() => nc.close());
    const js = jetstream(nc);
    const queue = async (...argv: string[]) => {
      const io = capture();
      const code = await main(['queue', ...argv, '--data', data], io, platformCommands());
      return { code, text: io.text() };
    };

    // Bytes that are no device message, labelled as one: the store side fails on every delivery.
    const poison = queued(9, new TextEncoder().encode('not a signed device message'));
    await js.publish(layout.subject, poison.payload, {
      msgID: messageId(poison),
      headers: encodeHeaders(poison),
    });
    const parked = await eventually(async () => {
      const listed = await queue('dead-letters');
      return listed.text.includes('1 ingest dead letter(s)') ? listed : undefined;
    }, 'the bad message parked');
    assert.match(parked.text, /CART-0402 {2}counter 9 .*deliveries 2/);
    assert.match(parked.text, /does not decode/);

    // A message parked while the store was down: it decodes, so a replay stores it.
    const good = queued(
      10,
      encodeSigned(message('health', 'CART-0402', 10), () => new Uint8Array(64)),
    );
    await js.publish(layout.deadSubject, good.payload, {
      msgID: 'test:dead:10',
      headers: deadLetterHeaders(encodeHeaders(good), {
        error: 'telemetry store unavailable',
        deliveries: 2,
        failedAt: Date.now(),
      }),
    });
    assert.match((await queue('dead-letters')).text, /2 ingest dead letter\(s\)/);

    const replayed = await queue('replay');
    assert.equal(replayed.code, 0, replayed.text);
    assert.match(replayed.text, /Moved 2 back into the queue, 0 unreadable/);
    await eventually(async () => {
      const stored = await platform.telemetry.latestForDevice('CART-0402', { limit: 10 });
      return stored.some((e) => e.counter === 10) ? true : undefined;
    }, 'the replayed message stored');
    const again = await eventually(async () => {
      const listed = await queue('dead-letters');
      return listed.text.includes('1 ingest dead letter(s)') ? listed : undefined;
    }, 'the bad message parked again');
    assert.match(again.text, /counter 9 /);
    const stored = await platform.telemetry.latestForDevice('CART-0402', { limit: 10 });
    assert.deepEqual(
      stored.map((e) => e.counter),
      [10],
    );
  });

  it('says when the platform runs without a queue', async (t) => {
    const data = await fleetDataDir(t);
    await startTestPlatform(t, data);
    const io = capture();
    assert.equal(await main(['queue', 'dead-letters', '--data', data], io, platformCommands()), 0);
    assert.match(io.text(), /runs without an ingest queue \(--queue-url\)/);
  });
});
