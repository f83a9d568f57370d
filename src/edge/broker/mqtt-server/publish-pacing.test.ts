import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IPubackPacket } from 'mqtt-packet';
import {
  RawClient,
  sleep,
  startTestServer,
  waitFor,
} from '../../../../test-support/mqtt-test-server.js';
import { MessageRateLimiter } from '../message-rate.js';

const RATE = { perSecond: 50, burst: 10 };

describe('MQTT server: a client over its publish rate', () => {
  it('is read more slowly, not refused: every publish taken once, in order, no faster than the rate', async (t) => {
    const limiter = new MessageRateLimiter(RATE);
    let delays = 0;
    const { port, published } = await startTestServer(t, {
      hooks: {
        publishDelayMs: (clientId) => {
          const { waitMs } = limiter.take(clientId, Date.now());
          if (waitMs > 0) delays++;
          return waitMs;
        },
      },
    });
    const client = await RawClient.connected(t, port, 'flooder', 4);
    const count = 110;
    const start = Date.now();
    for (let id = 1; id <= count; id++) client.publish('dt/cart/flooder/health', id);
    await waitFor(() => client.received.length === count, 10_000);
    const elapsed = Date.now() - start;

    assert.deepEqual(
      client.received.map((p) => (p as IPubackPacket).messageId),
      Array.from({ length: count }, (_, i) => i + 1),
    );
    assert.equal(published.length, count, 'each publish reached the owner exactly once');
    assert.ok(delays > 0, 'the connection was paused');
    // 10 at once, then 100 more at 50 a second: at least 2 s.
    const floor = ((count - RATE.burst) / RATE.perSecond) * 1000;
    assert.ok(elapsed >= floor - 20, `${count} publishes took ${elapsed} ms, floor ${floor} ms`);
  });

  it('keeps a client within its rate unaffected while another floods', async (t) => {
    const limiter = new MessageRateLimiter(RATE);
    const { port } = await startTestServer(t, {
      hooks: { publishDelayMs: (clientId) => limiter.take(clientId, Date.now()).waitMs },
    });
    const flooder = await RawClient.connected(t, port, 'flooder', 4);
    const calm = await RawClient.connected(t, port, 'calm', 4);
    for (let id = 1; id <= 200; id++) flooder.publish('dt/cart/flooder/health', id);
    const latencies: number[] = [];
    for (let id = 1; id <= 10; id++) {
      const sent = Date.now();
      calm.publish('dt/cart/calm/health', id);
      await waitFor(() => calm.received.length === id);
      latencies.push(Date.now() - sent);
      await sleep(40);
    }
    assert.ok(flooder.received.length < 200, 'the flooder was still being held back');
    // Paced behind the flooder, the calm client would wait seconds (200 publishes at 50 a
    // second); a shared 2-core machine adds tens of milliseconds now and then.
    const sorted = [...latencies].sort((a, b) => a - b);
    const report = `calm client's latencies ${latencies.join(', ')} ms`;
    assert.ok(sorted[Math.floor(sorted.length / 2)]! < 50, report);
    assert.ok(sorted.at(-1)! < 500, report);
  });
});
