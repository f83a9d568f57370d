import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { shoppingTrip, TestDevice } from '../../test-support/entity-events.js';
import { fleetDataDir, runCli, startTestPlatform } from '../../test-support/platform.js';
import type { ApiRole } from './roles.js';
import { issueToken, loadTokenKeys } from './tokens.js';
import { platformFetch } from '../../test-support/api-client.js';

// The session routes of a running platform over real HTTP; sessions are projected directly.
describe('HTTP API: sessions', () => {
  it('serves a session, its scans and a paged store list to the right roles, 4xx otherwise', async (t) => {
    const data = await fleetDataDir(t);
    await runCli('store', 'add', '--data', data, '--id', 'paris-1', '--name', 'Paris 1');
    const platform = await startTestPlatform(t, data);
    const cart = new TestDevice('CART-0501', 'berlin-1');
    const trips = [1, 2, 3, 4, 5].map(() => shoppingTrip(cart, { scans: 2 }));
    await platform.entities.project(trips.flatMap((trip) => trip.events));
    const keys = await loadTokenKeys(platform.layout.tokenKey);
    const token = (role: ApiRole, store?: string) =>
      issueToken(keys, { role, ...(store ? { store } : {}) }, new Date());
    const get = async (path: string, bearer?: string) => {
      const response = await platformFetch(platform)(`${platform.apiUrl}${path}`, {
        headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const ops = await token('ops');
    const staff = await token('staff', 'berlin-1');
    const [first] = trips;

    const session = await get(`/v1/sessions/${first!.sessionId}`, staff);
    assert.equal(session.status, 200);
    assert.equal(session.body['status'], 'complete');
    assert.equal(session.body['totalCents'], first!.totalCents);
    assert.equal(session.body['mergedInto'], null);
    assert.deepEqual(session.body['mergedFrom'], []);
    assert.equal((session.body['payment'] as { status: string }).status, 'authorized');
    const scans = await get(`/v1/sessions/${first!.sessionId}/scans`, ops);
    assert.deepEqual(
      (scans.body['scans'] as { scanSeq: number }[]).map((s) => s.scanSeq),
      [1, 2, 3],
    );

    const ids: string[] = [];
    let path = '/v1/stores/berlin-1/sessions?limit=2';
    for (let pages = 0; pages < 5; pages++) {
      const page = await get(path, staff);
      assert.equal(page.status, 200);
      ids.push(...(page.body['sessions'] as { sessionId: string }[]).map((s) => s.sessionId));
      if (page.body['next'] === null) break;
      path = `/v1/stores/berlin-1/sessions?limit=2&after=${String(page.body['next'])}`;
    }
    assert.deepEqual(ids, trips.map((trip) => trip.sessionId).reverse(), 'newest first');
    const complete = await get(
      '/v1/stores/berlin-1/sessions?status=complete&since=2026-01-01T00:00:00Z',
      ops,
    );
    assert.equal((complete.body['sessions'] as unknown[]).length, 5);

    const paris = await token('staff', 'paris-1');
    assert.equal((await get(`/v1/sessions/${first!.sessionId}`, paris)).status, 403);
    assert.equal((await get('/v1/stores/berlin-1/sessions', paris)).status, 403);
    assert.equal(
      (await get(`/v1/sessions/${first!.sessionId}`, await token('customer'))).status,
      403,
    );
    assert.equal((await get(`/v1/sessions/${first!.sessionId}`)).status, 401);
    assert.equal((await get(`/v1/sessions/${randomUUID()}`, ops)).status, 404);
    assert.equal((await get('/v1/stores/nowhere/sessions', ops)).status, 404);
    for (const query of [
      'since=yesterday',
      'status=lost',
      'limit=0',
      'limit=501',
      'after=bm90LWEtY3Vyc29y',
      'since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z',
      'colour=blue',
    ]) {
      const bad = await get(`/v1/stores/berlin-1/sessions?${query}`, ops);
      assert.equal(bad.status, 400, query);
      assert.equal(bad.body['error'], 'bad-request');
      assert.equal(typeof bad.body['message'], 'string');
    }
    assert.equal((await get('/v1/sessions/not-a-uuid', ops)).status, 400);

    const openapi = (await (
      await platformFetch(platform)(`${platform.apiUrl}/openapi.json`)
    ).json()) as {
      paths: Record<string, unknown>;
    };
    for (const p of ['/v1/sessions/{id}', '/v1/sessions/{id}/scans', '/v1/stores/{id}/sessions']) {
      assert.ok(openapi.paths[p], `${p} documented`);
    }
  });
});
