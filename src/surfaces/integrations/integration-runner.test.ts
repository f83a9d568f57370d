import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { tempDir } from '../../../test-support/temp-dir.js';
import { silentLogger } from '../../shared/observability/logger.js';
import type { StoredEvent } from '../../stores/telemetry/telemetry-store.js';
import { IntegrationLog } from './integration-log.js';
import { IntegrationRunner } from './integration-runner.js';
import type { Integration } from './integration-schema.js';
import type { OutboundEvent } from './outbound-event.js';
import type { Sink, SinkResult } from './sink.js';

const health = (seq: number, deviceClass: 'cart' | 'tool' = 'cart'): StoredEvent => ({
  seq,
  deviceId: 'CART-1',
  storeId: 's-1',
  deviceClass,
  type: 'health',
  counter: seq,
  deviceTime: seq,
  receivedAt: seq,
  body: '{}',
  signature: new Uint8Array(64),
});

const integration: Integration = {
  id: 'carts',
  match: { deviceClass: ['cart'] },
  sink: { kind: 'webhook', url: 'https://h.example/' },
  enabled: true,
};

/**
 * A sink that answers from a script (true: acknowledged; false: HTTP 500; a number: that
 * status) and records what it was sent.
 */
function scriptedSink(answers: (boolean | number)[]): Sink & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    deliver(event: OutboundEvent): Promise<SinkResult> {
      sent.push(event.id);
      const answer = answers.shift() ?? true;
      if (answer === true) return Promise.resolve({ ok: true, status: 204 });
      const status = answer === false ? 500 : answer;
      return Promise.resolve({ ok: false, status, error: `HTTP ${status}` });
    },
    close: () => Promise.resolve(),
  };
}

async function setup(t: TestContext, feed: StoredEvent[], onRefused?: Integration['onRefused']) {
  const log = new IntegrationLog(join(await tempDir(t), 'integrations.sqlite'));
  t.after(() => log.close());
  const configured = { ...integration, ...(onRefused ? { onRefused } : {}) };
  log.replace({ integrations: [configured] }, 0);
  const runner = (sink: Sink) =>
    new IntegrationRunner({
      integration: configured,
      sink,
      log,
      telemetry: {
        eventsAfter: (seq, limit) =>
          Promise.resolve(feed.filter((e) => e.seq > seq).slice(0, limit)),
      },
      retry: { baseDelayMs: 1, maxDelayMs: 4, maxAttempts: Infinity, failingAfter: 2 },
      logger: silentLogger(),
      now: Date.now,
      random: () => 0,
      pollMs: 5,
      counted: () => undefined,
    });
  return { log, runner };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('an integration runner', () => {
  it('delivers matching events in order, retrying the head until acknowledged, and skips none', async (t) => {
    const sink = scriptedSink([true, false, false, false, true]);
    const feed = [health(1), health(2, 'tool'), health(3), health(4)];
    const { log, runner } = await setup(t, feed);
    const r = runner(sink);
    r.start();
    await until(() => log.position('carts').cursor === 4, 'the feed delivered');
    await r.stop();
    assert.deepEqual(sink.sent, [
      'CART-1:1',
      'CART-1:3',
      'CART-1:3',
      'CART-1:3',
      'CART-1:3',
      'CART-1:4',
    ]);
    const attempts = log.attempts('carts', 10).reverse();
    assert.deepEqual(
      attempts.map((a) => [a.deliveryId, a.outcome, a.status]),
      [
        ['CART-1:1', 'delivered', 204],
        ...Array.from({ length: 3 }, () => ['CART-1:3', 'failed', 500]),
        ['CART-1:3', 'delivered', 204],
        ['CART-1:4', 'delivered', 204],
      ],
    );
    assert.deepEqual(
      { ...log.position('carts') },
      { cursor: 4, consecutiveFailures: 0, lastError: 'HTTP 500', delivered: 3, failed: 3 },
    );
  });

  it('keeps its cursor before an event never acknowledged, and a new runner resumes there', async (t) => {
    const refusing = scriptedSink(Array.from({ length: 1000 }, () => false));
    const feed = [health(1), health(2)];
    const { log, runner } = await setup(t, feed);
    const first = runner(refusing);
    first.start();
    await until(() => log.position('carts').consecutiveFailures >= 3, 'failures counted');
    await first.stop();
    assert.equal(log.position('carts').cursor, 0, 'not past the unacknowledged event');
    assert.ok(
      refusing.sent.every((id) => id === 'CART-1:1'),
      'never skipped ahead',
    );

    // The same log, a new runner (as after a restart): it starts from the stored cursor.
    const accepting = scriptedSink([]);
    const second = runner(accepting);
    second.start();
    await until(() => log.position('carts').cursor === 2, 'the feed delivered after the restart');
    await second.stop();
    assert.deepEqual(accepting.sent, ['CART-1:1', 'CART-1:2']);
  });

  it('with onRefused: dead-letter, parks an event whose content is refused three times in a row and goes on', async (t) => {
    // 422 twice, then a 503 (says nothing about the event: the streak starts again), then 400,
    // 422, 413: parked after the third content refusal in a row.
    const sink = scriptedSink([true, 422, 422, 503, 400, 422, 413, true]);
    const feed = [health(1), health(2), health(3)];
    const { log, runner } = await setup(t, feed, 'dead-letter');
    const r = runner(sink);
    r.start();
    await until(() => log.position('carts').cursor === 3, 'the feed passed');
    await r.stop();
    assert.deepEqual(sink.sent, [
      'CART-1:1',
      ...Array.from({ length: 6 }, () => 'CART-1:2'),
      'CART-1:3',
    ]);
    assert.deepEqual(log.deadLetters('carts', 10), [
      {
        ...{ seq: 2, deliveryId: 'CART-1:2', at: log.deadLetters('carts', 1)[0]!.at },
        ...{ status: 413, error: 'HTTP 413', refusals: 3 },
      },
    ]);
    assert.equal(log.position('carts').consecutiveFailures, 0, 'the integration is moving');
  });

  it('never parks on a 5xx, a 401 or a 429, and by default holds even on a content refusal', async (t) => {
    for (const [onRefused, answers] of [
      ['dead-letter', [500, 401, 429, 404, 500, 503, true]],
      [undefined, [422, 422, 422, 422, 400, 400, true]],
    ] as const) {
      const sink = scriptedSink([...answers]);
      const { log, runner } = await setup(t, [health(1), health(2)], onRefused);
      const r = runner(sink);
      r.start();
      await until(() => log.position('carts').cursor === 2, `the feed passed (${onRefused})`);
      await r.stop();
      assert.equal(sink.sent.filter((id) => id === 'CART-1:1').length, 7, 'held on the event');
      assert.deepEqual(log.deadLetters('carts', 10), [], `nothing parked (${onRefused})`);
    }
  });

  it('parks and passes an event in one step: a new runner neither repeats nor loses it', async (t) => {
    const feed = [health(1), health(2)];
    const { log, runner } = await setup(t, feed, 'dead-letter');
    const first = runner(scriptedSink([422, 422, 422, 500, 500, 500, 500, 500, 500, 500]));
    first.start();
    await until(() => log.deadLetterCount('carts') === 1, 'the first event parked');
    await first.stop();
    const second = runner(scriptedSink([]));
    second.start();
    await until(() => log.position('carts').cursor === 2, 'the rest delivered');
    await second.stop();
    assert.deepEqual(
      log.deadLetters('carts', 10).map((l) => l.deliveryId),
      ['CART-1:1'],
    );
    assert.equal(log.position('carts').delivered, 1, 'only the second event delivered');
    assert.equal(log.removeDeadLetter('carts', 1), true);
    assert.equal(log.removeDeadLetter('carts', 1), false, 'gone once discarded');
  });
});
