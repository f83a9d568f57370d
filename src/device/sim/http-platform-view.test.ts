import assert from 'node:assert/strict';
import { test } from 'node:test';
import { httpPlatformView, sessionRoutes } from './http-platform-view.js';

const session = (n: number) => ({
  sessionId: `s${n}`,
  deviceId: 'CART-1',
  storeId: 'berlin-1',
  status: 'complete',
  startedAt: '2026-11-23T09:00:00.000Z',
  scanCount: 2,
  subtotalCents: 100,
  payment: { status: 'authorized', amountCents: 100, currency: 'EUR' },
  mergedInto: null,
});

function fakeFetch(routes: Record<string, [number, unknown]>, seen: string[] = []): typeof fetch {
  return (async (input: URL, init?: RequestInit) => {
    const url = new URL(input);
    seen.push(url.pathname + url.search);
    assert.equal((init?.headers as Record<string, string>).authorization, 'Bearer T');
    const [status, body] = routes[
      url.pathname + (url.searchParams.get('after') ? `#${url.searchParams.get('after')}` : '')
    ] ?? [404, { error: 'Not Found', message: 'Route not found' }];
    return new Response(JSON.stringify(body), { status });
  }) as typeof fetch;
}

test('reads a session, a missing one, a paged listing and the devices', async () => {
  const seen: string[] = [];
  const view = httpPlatformView('http://api.test', 'T', {
    fetch: fakeFetch(
      {
        '/v1/sessions/s1': [200, session(1)],
        '/v1/sessions/s9': [404, { error: 'not-found', message: 'no session s9' }],
        '/v1/stores/berlin-1/sessions': [200, { sessions: [session(1)], next: 'c1' }],
        '/v1/stores/berlin-1/sessions#c1': [200, { sessions: [session(2)], next: null }],
        '/v1/stores/berlin-1/devices': [200, { devices: [{ deviceId: 'CART-1' }] }],
      },
      seen,
    ),
  });
  assert.deepEqual(await view.getSession('s1'), {
    sessionId: 's1',
    deviceId: 'CART-1',
    storeId: 'berlin-1',
    status: 'complete',
    startedAt: '2026-11-23T09:00:00.000Z',
    scanCount: 2,
    payment: { status: 'authorized', amountCents: 100 },
    mergedInto: null,
  });
  assert.equal(await view.getSession('s9'), undefined);
  const listed = [];
  for await (const s of view.listStoreSessions!('berlin-1', 0, 1000)) listed.push(s.sessionId);
  assert.deepEqual(listed, ['s1', 's2']);
  assert.ok(
    seen.some((p) => p.includes('since=1970-01-01T00%3A00%3A00.000Z') && p.includes('limit=500')),
  );
  assert.deepEqual(await view.listStoreDevices!('berlin-1'), ['CART-1']);
});

test('finds the session routes in the API description', async () => {
  const openapi = (paths: string[]) =>
    (async () =>
      new Response(
        JSON.stringify({ paths: Object.fromEntries(paths.map((p) => [p, {}])) }),
      )) as unknown as typeof fetch;
  assert.deepEqual(await sessionRoutes('http://api.test', openapi(['/v1/stores/{id}/devices'])), {
    get: false,
    list: false,
  });
  assert.deepEqual(
    await sessionRoutes(
      'http://api.test',
      openapi(['/v1/sessions/{id}', '/v1/stores/{id}/sessions']),
    ),
    { get: true, list: true },
  );
});

test('a view without the listing leaves the double-counting check to be reported as not done', () => {
  const view = httpPlatformView('http://api.test', 'T', { listSessions: false });
  assert.equal(view.listStoreSessions, undefined);
});
