import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consoleApi } from '../../../test-support/console-api.js';
import type { EntityStore } from '../../stores/entities/entity-store.js';
import { issueToken } from '../api/tokens.js';

describe('webhooks API without a webhook service', () => {
  it('answers 503 with a reason to ops, and still 403 to other roles', async (t) => {
    // No route here reaches the entity store: the service is checked first.
    const { app, tokenKeys, clock } = await consoleApi({} as EntityStore);
    t.after(() => app.close());
    const token = async (role: 'ops' | 'staff') =>
      `Bearer ${await issueToken(tokenKeys, { role, ...(role === 'staff' ? { store: 'store-a' } : {}) }, new Date(clock.now))}`;
    for (const [method, url] of [
      ['GET', '/v1/webhooks'],
      ['GET', '/v1/webhooks/wh_1/deliveries'],
      ['POST', '/v1/webhooks/wh_1/ping'],
      ['DELETE', '/v1/webhooks/wh_1'],
    ] as const) {
      const ops = await app.inject({ method, url, headers: { authorization: await token('ops') } });
      assert.equal(ops.statusCode, 503, `${method} ${url}`);
      assert.deepEqual(ops.json(), {
        error: 'unavailable',
        message: 'this platform delivers no webhooks',
      });
      const staff = await app.inject({
        method,
        url,
        headers: { authorization: await token('staff') },
      });
      assert.equal(staff.statusCode, 403, `${method} ${url}`);
    }
  });
});
