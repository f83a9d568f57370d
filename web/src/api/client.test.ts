import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiClient, ApiFailure, path, type Fetch } from './client.js';

interface Call {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  readonly credentials: RequestCredentials | undefined;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A fake platform: answers from `handler`, records every call. */
function fakeFetch(handler: (call: Call, n: number) => Response): { fetch: Fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fetch: Fetch = async (url, init = {}) => {
    const call: Call = {
      url,
      method: init.method ?? 'GET',
      headers: { ...(init.headers as Record<string, string>) },
      body: typeof init.body === 'string' ? JSON.parse(init.body) : init.body,
      credentials: init.credentials,
    };
    calls.push(call);
    return handler(call, calls.length);
  };
  return { fetch, calls };
}

const SESSION = { role: 'staff', store: 'store-1', name: 'Anna', csrfToken: 'csrf-1' };

describe('API client', () => {
  it('sends the cookie, and the session CSRF token on unsafe methods only', async () => {
    const { fetch, calls } = fakeFetch((call) =>
      call.url === '/v1/auth/session' ? json(200, SESSION) : json(200, { ok: true }),
    );
    const api = new ApiClient({ fetch });
    await api.get('/v1/stores/store-1/carts');
    await api.put('/v1/stores/store-1/carts/CART-1/maintenance', { reason: 'cleaning' });
    assert.deepEqual(
      calls.map((c) => `${c.method} ${c.url}`),
      [
        'GET /v1/stores/store-1/carts',
        'GET /v1/auth/session',
        'PUT /v1/stores/store-1/carts/CART-1/maintenance',
      ],
    );
    assert.ok(calls.every((c) => c.credentials === 'same-origin'));
    assert.equal(calls[0]!.headers['x-csrf-token'], undefined);
    assert.equal(calls[2]!.headers['x-csrf-token'], 'csrf-1');
    assert.deepEqual(calls[2]!.body, { reason: 'cleaning' });
  });

  it('turns an error body into an ApiFailure with its code and message', async () => {
    const { fetch } = fakeFetch(() =>
      json(403, { error: 'forbidden', message: 'this staff token is for store 1, not 2' }),
    );
    const api = new ApiClient({ fetch });
    await assert.rejects(api.get('/v1/stores/store-2/carts'), (error: unknown) => {
      assert.ok(error instanceof ApiFailure);
      assert.equal(error.status, 403);
      assert.equal(error.code, 'forbidden');
      assert.equal(error.message, 'this staff token is for store 1, not 2');
      return true;
    });
  });

  it('says which status came back when the body is not JSON', async () => {
    const { fetch } = fakeFetch(() => new Response('<html>bad gateway</html>', { status: 502 }));
    await assert.rejects(new ApiClient({ fetch }).get('/v1/carts'), {
      code: 'http-502',
      status: 502,
    });
  });

  it('reads a missing session as nobody signed in, and an expired one as a reason to sign in', async () => {
    const { fetch } = fakeFetch(() => json(401, { error: 'unauthenticated', message: 'no' }));
    let told = 0;
    const api = new ApiClient({ fetch, onUnauthenticated: () => void told++ });
    assert.equal(await api.session(), null);
    assert.equal(told, 0, 'asking who is signed in is not a failure');
    await assert.rejects(api.get('/v1/stores/store-1/carts'), { status: 401 });
    assert.equal(told, 1);
  });

  it('runs the step-up ceremony on fresh-assertion-required and retries once', async () => {
    let stepUps = 0;
    const { fetch, calls } = fakeFetch((call) => {
      if (call.url === '/v1/auth/session') return json(200, SESSION);
      return stepUps === 0
        ? json(403, { error: 'fresh-assertion-required', message: 'confirm with your passkey' })
        : json(202, { commandId: 'c-1' });
    });
    const api = new ApiClient({
      fetch,
      stepUp: async () => {
        stepUps++;
      },
    });
    const answer = await api.post<{ commandId: string }>('/v1/x/session-actions', { a: 1 });
    assert.equal(answer.commandId, 'c-1');
    assert.equal(stepUps, 1);
    const posts = calls.filter((c) => c.method === 'POST');
    assert.equal(posts.length, 2);
    assert.deepEqual(posts[1]!.body, { a: 1 });
    assert.equal(posts[1]!.headers['x-csrf-token'], 'csrf-1');
  });

  it('does not loop when the retry after step-up is refused again', async () => {
    let stepUps = 0;
    const { fetch, calls } = fakeFetch((call) =>
      call.url === '/v1/auth/session'
        ? json(200, SESSION)
        : json(403, { error: 'fresh-assertion-required', message: 'still not fresh' }),
    );
    const api = new ApiClient({ fetch, stepUp: async () => void stepUps++ });
    await assert.rejects(api.delete('/v1/me'), { code: 'fresh-assertion-required' });
    assert.equal(stepUps, 1);
    assert.equal(calls.filter((c) => c.method === 'DELETE').length, 2);
  });

  it('gives up without a step-up runner, and lets a failed ceremony surface', async () => {
    const refuse = () => json(403, { error: 'fresh-assertion-required', message: 'fresh' });
    const bare = fakeFetch((call) =>
      call.url === '/v1/auth/session' ? json(200, SESSION) : refuse(),
    );
    await assert.rejects(new ApiClient({ fetch: bare.fetch }).delete('/v1/me'), {
      code: 'fresh-assertion-required',
    });
    const failing = fakeFetch((call) =>
      call.url === '/v1/auth/session' ? json(200, SESSION) : refuse(),
    );
    const api = new ApiClient({
      fetch: failing.fetch,
      stepUp: () => Promise.reject(new Error('cancelled')),
    });
    await assert.rejects(api.delete('/v1/me'), /cancelled/);
    assert.equal(failing.calls.filter((c) => c.method === 'DELETE').length, 1);
  });

  it('fetches a new CSRF token once when the old one is refused', async () => {
    let token = 0;
    const { fetch, calls } = fakeFetch((call) => {
      if (call.url === '/v1/auth/session')
        return json(200, { ...SESSION, csrfToken: `t${++token}` });
      return call.headers['x-csrf-token'] === 't2'
        ? json(200, { ok: true })
        : json(403, { error: 'csrf-invalid', message: 'stale token' });
    });
    const api = new ApiClient({ fetch });
    await api.session();
    await api.post('/v1/dead-letters/replay');
    assert.deepEqual(
      calls.map((c) => `${c.method} ${c.url} ${c.headers['x-csrf-token'] ?? ''}`.trim()),
      [
        'GET /v1/auth/session',
        'POST /v1/dead-letters/replay t1',
        'GET /v1/auth/session',
        'POST /v1/dead-letters/replay t2',
      ],
    );
  });

  it('sends binary bodies as octet-stream and answers network failures in words', async () => {
    const { fetch, calls } = fakeFetch((call) =>
      call.url === '/v1/auth/session' ? json(200, SESSION) : json(201, { image_id: 'ab' }),
    );
    const api = new ApiClient({ fetch });
    await api.put('/v1/ota/images/ab', new Uint8Array([1, 2, 3]));
    assert.equal(calls[1]!.headers['content-type'], 'application/octet-stream');
    assert.ok(calls[1]!.body instanceof Uint8Array);
    const down = new ApiClient({ fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    await assert.rejects(down.get('/v1/carts'), { code: 'network', status: 0 });
  });

  it('encodes path segments', () => {
    assert.equal(path`/v1/devices/${'a/b'}/shadow`, '/v1/devices/a%2Fb/shadow');
  });
});
