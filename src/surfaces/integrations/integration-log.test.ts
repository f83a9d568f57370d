import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test-support/temp-dir.js';
import { IntegrationLog } from './integration-log.js';

const attempt = (outcome: 'delivered' | 'failed', seq: number) => ({
  ...{ at: 1, deliveryId: `CART-1:${seq}`, seq, outcome, latencyMs: 3 },
  ...(outcome === 'failed' ? { status: 500, error: 'HTTP 500' } : { status: 204, error: null }),
});

describe('the integration log', () => {
  it('keeps a redelivery of a parked event out of the failure streak of the head event', async (t) => {
    const log = new IntegrationLog(join(await tempDir(t), 'integrations.sqlite'));
    t.after(() => log.close());
    log.replace(
      {
        integrations: [
          {
            id: 'hook',
            match: {},
            sink: { kind: 'webhook', url: 'https://h.example/' },
            enabled: true,
          },
        ],
      },
      0,
    );
    for (let i = 0; i < 5; i++) log.record('hook', attempt('failed', 9));
    assert.equal(log.position('hook').consecutiveFailures, 5, 'the head event is failing');
    log.record('hook', attempt('delivered', 2), { streak: false });
    log.record('hook', attempt('failed', 3), { streak: false });
    const p = log.position('hook');
    assert.deepEqual(
      [p.consecutiveFailures, p.delivered, p.failed],
      [5, 1, 6],
      'counted, but the head is still failing',
    );
  });

  it('forgets a removed integration’s parked events with its cursor and log', async (t) => {
    const log = new IntegrationLog(join(await tempDir(t), 'integrations.sqlite'));
    t.after(() => log.close());
    const hook = {
      id: 'hook',
      match: {},
      sink: { kind: 'webhook' as const, url: 'https://h.example/' },
      enabled: true,
    };
    log.replace({ integrations: [hook] }, 0);
    log.deadLetter('hook', {
      ...{ seq: 4, deliveryId: 'CART-1:4', at: 1 },
      ...{ status: 422, error: 'HTTP 422', refusals: 3 },
    });
    assert.equal(log.position('hook').cursor, 4, 'parked and passed together');
    log.replace({ integrations: [] }, 10);
    log.replace({ integrations: [hook] }, 10);
    assert.equal(log.deadLetterCount('hook'), 0, 'a new integration of the same id starts clean');
  });
});
