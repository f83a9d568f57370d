import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { topics } from '../../contract/index.js';
import { PendingWork, type PendingWorkSenders } from './pending-work.js';

function recordingSenders(calls: string[]): PendingWorkSenders {
  return {
    commands: { redeliver: (id) => (calls.push(`commands ${id}`), Promise.resolve(2)) },
    jobs: { redeliver: (id) => (calls.push(`jobs ${id}`), Promise.resolve(1)) },
  };
}

describe('pending work re-delivered to a new broker session', () => {
  it('re-delivers commands and jobs for the topics a subscription added, and nothing for others', async () => {
    const calls: string[] = [];
    const work = new PendingWork(Promise.resolve(recordingSenders(calls)));
    const all = [
      topics.errors('CART-1'),
      topics.commandRequest('CART-1'),
      topics.shadowDesired('CART-1'),
      topics.jobNotify('CART-1'),
    ];
    assert.deepEqual(await work.subscribed('CART-1', all, 0), {
      deviceId: 'CART-1',
      commands: 2,
      jobs: 1,
    });
    assert.deepEqual(calls, ['commands CART-1', 'jobs CART-1']);
    await work.subscribed('CART-1', [topics.shadowDesired('CART-1')], 0);
    await work.subscribed('CART-1', [topics.commandRequest('CART-2')], 0);
    assert.equal(calls.length, 2, "neither the shadow (retained) nor another device's topic");
  });

  it('waits for the senders the platform wires after the broker takes devices', async () => {
    const calls: string[] = [];
    let ready: (senders: PendingWorkSenders) => void = () => undefined;
    const work = new PendingWork(new Promise((resolve) => (ready = resolve)));
    const early = work.subscribed('CART-1', [topics.jobNotify('CART-1')], 0);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(calls, []);
    ready(recordingSenders(calls));
    assert.equal((await early).jobs, 1);
    assert.deepEqual(calls, ['jobs CART-1']);
  });
});
