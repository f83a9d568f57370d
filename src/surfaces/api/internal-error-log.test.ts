import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consoleApi } from '../../../test-support/console-api.js';
import type { Logger } from '../../shared/observability/logger.js';
import type { EntityStore } from '../../stores/entities/entity-store.js';
import { issueToken } from './tokens.js';

describe('a request that fails inside the platform', () => {
  it('answers 500 without the cause, and logs the cause with the route to the platform log', async (t) => {
    const logged: { obj: Record<string, unknown>; msg: string }[] = [];
    const log = { error: (obj: Record<string, unknown>, msg: string) => logged.push({ obj, msg }) };
    const { app, tokenKeys, clock } = await consoleApi({} as EntityStore, {
      log: log as unknown as Logger,
      fleetAudit: () => Promise.reject(new Error('registry disk unreadable')),
    });
    t.after(() => app.close());
    const token = await issueToken(tokenKeys, { role: 'ops' }, new Date(clock.now));
    const reply = await app.inject({
      method: 'GET',
      url: '/v1/audit',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(reply.statusCode, 500);
    assert.deepEqual(reply.json(), {
      error: 'internal',
      message: 'internal error; see the platform log',
    });
    assert.equal(logged.length, 1);
    assert.equal(logged[0]!.msg, 'API request failed');
    assert.equal(logged[0]!.obj['route'], '/v1/audit');
    assert.match(String(logged[0]!.obj['err']), /registry disk unreadable/);
  });
});
