import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { issueToken } from '../api/tokens.js';
import { CONSOLE_ORIGIN, consoleApi, type ConsoleApi } from '../../../test-support/console-api.js';
import {
  ConsoleBrowser,
  injectSend,
  SoftwareAuthenticator,
} from '../../../test-support/console-browser.js';
import { filePgliteStore } from '../../../test-support/pglite-store.js';
import { issueLoginLink, type LinkRequest } from './login-links.js';

const entities = filePgliteStore();
const MINUTE = 60_000;
const ROLLOUT = '/v1/ota/rollouts/00000000-0000-4000-8000-000000000001';

async function signedIn(t: TestContext, request: LinkRequest) {
  const a: ConsoleApi = await consoleApi(await entities());
  t.after(() => a.app.close());
  const person = new ConsoleBrowser(
    injectSend(a.app),
    new SoftwareAuthenticator({ origin: CONSOLE_ORIGIN }),
  );
  const { token } = await issueLoginLink(a.tokenKeys, request, new Date(a.clock.now));
  const enrolled = await person.enrol(token);
  assert.equal(enrolled.status, 200, JSON.stringify(enrolled.body));
  return { a, person, personId: String(enrolled.body['personId']) };
}

describe('console sessions', () => {
  it('ends an ops session after 15 idle minutes; requests keep it alive until then', async (t) => {
    const { a, person } = await signedIn(t, { role: 'ops' });
    for (let i = 0; i < 4; i++) {
      a.clock.now += 14 * MINUTE;
      assert.equal(
        (await person.request('GET', '/v1/auth/session')).status,
        200,
        `after ${i + 1} busy turns`,
      );
    }
    a.clock.now += 15 * MINUTE + 1;
    const idle = await person.request('GET', '/v1/auth/session');
    assert.equal(idle.status, 401);
    assert.equal(idle.body['error'], 'unauthenticated');
    assert.equal(person.cookie, undefined, 'the ended session’s cookie is cleared');
  });

  it('gives staff 30 idle minutes and ends a busy session 12 hours after sign-in', async (t) => {
    const { a, person } = await signedIn(t, { role: 'staff', store: 'store-a' });
    a.clock.now += 29 * MINUTE;
    const session = await person.request('GET', '/v1/auth/session');
    assert.equal(session.status, 200);
    assert.equal(
      session.body['expiresAt'],
      new Date(a.clock.now - 29 * MINUTE + 12 * 60 * MINUTE).toISOString(),
    );
    const cookie = person.cookie;
    for (let elapsed = 29; elapsed < 12 * 60 - 20; elapsed += 20) {
      a.clock.now += 20 * MINUTE;
      assert.equal((await person.request('GET', '/v1/auth/session')).status, 200);
    }
    a.clock.now += 20 * MINUTE;
    person.cookie = cookie;
    assert.equal((await person.request('GET', '/v1/auth/session')).status, 401, 'past 12 hours');
  });

  it('keeps a customer signed in for days without use', async (t) => {
    const { customerId } = await (
      await entities()
    ).createAccount({ kind: 'app-user', region: 'eu' });
    const { a, person } = await signedIn(t, { role: 'customer', subject: customerId });
    a.clock.now += 6 * 24 * 60 * MINUTE;
    assert.equal((await person.request('GET', '/v1/auth/session')).status, 200);
  });

  it('refuses an unsafe request on a session without its CSRF token, and a token never needs one', async (t) => {
    const { a, person } = await signedIn(t, { role: 'ops' });
    const missing = await person.request('POST', `${ROLLOUT}/abort`, {}, { csrf: false });
    assert.equal(missing.status, 403);
    assert.equal(missing.body['error'], 'csrf-invalid');
    const real = person.csrfToken;
    person.csrfToken = 'x'.repeat(real!.length);
    assert.equal(
      (await person.request('POST', `${ROLLOUT}/abort`, {})).body['error'],
      'csrf-invalid',
    );
    person.csrfToken = real;
    const withToken = await person.request('POST', `${ROLLOUT}/abort`, {});
    assert.equal(withToken.body['error'], 'fresh-assertion-required', 'past the CSRF check');
    assert.equal(
      (await person.request('GET', '/v1/auth/session', undefined, { csrf: false })).status,
      200,
    );

    const ops = await issueToken(a.tokenKeys, { role: 'ops' }, new Date(a.clock.now));
    const scripted = await a.app.inject({
      method: 'POST',
      url: `${ROLLOUT}/abort`,
      headers: { authorization: `Bearer ${ops}` },
      payload: {},
    });
    assert.equal(
      scripted.statusCode,
      503,
      'no CSRF and no step-up for a bearer token (no OTA here)',
    );
  });

  it('lets a sensitive action through for 5 minutes after a step-up, audited as the person', async (t) => {
    const { a, person, personId } = await signedIn(t, { role: 'ops', name: 'Olga' });
    const before = await person.request('POST', `${ROLLOUT}/release`, {});
    assert.equal(before.status, 403);
    assert.equal(before.body['error'], 'fresh-assertion-required');
    const stepped = await person.stepUp();
    assert.equal(stepped.status, 200, JSON.stringify(stepped.body));
    assert.equal(stepped.body['freshUntil'], new Date(a.clock.now + 5 * MINUTE).toISOString());
    const passed = await person.request('POST', `${ROLLOUT}/release`, {});
    assert.equal(passed.status, 503, 'past the guard (this API runs no rollouts)');
    a.clock.now += 5 * MINUTE;
    const stale = await person.request('POST', `${ROLLOUT}/release`, {});
    assert.equal(stale.body['error'], 'fresh-assertion-required');

    const actor = { role: 'ops', subject: `person:${personId}` };
    const requests = a.audit.records.filter((r) => r.action === 'console-request');
    assert.deepEqual(
      requests.map((r) => [r.actor, r.purpose, r.detail?.['id']]),
      [0, 1, 2].map(() => [actor, 'POST /v1/ota/rollouts/:id/release', ROLLOUT.split('/').at(-1)]),
    );
    assert.deepEqual(a.audit.records.find((r) => r.action === 'console-step-up')?.actor, actor);
  });

  it('records the device or store a console request names, whatever the route calls its id', async (t) => {
    const { a, person } = await signedIn(t, { role: 'ops' });
    await person.request('POST', '/v1/devices/CART-0001/commands', { name: 'ping' });
    await person.request('PATCH', '/v1/devices/CART-0002/shadow', { desired: {} });
    await person.request('PUT', '/v1/stores/store-b/maintenance-windows', { windows: [] });
    const requests = a.audit.records.filter((r) => r.action === 'console-request');
    assert.deepEqual(
      requests.map((r) => [r.purpose, r.deviceId, r.storeId]),
      [
        ['POST /v1/devices/:id/commands', 'CART-0001', undefined],
        ['PATCH /v1/devices/:id/shadow', 'CART-0002', undefined],
        ['PUT /v1/stores/:store/maintenance-windows', undefined, 'store-b'],
      ],
    );
  });

  it('keeps staff of one store out of another store through a session', async (t) => {
    const { a, person } = await signedIn(t, { role: 'staff', store: 'store-a' });
    const windows = { windows: ['22:00-06:00'] };
    const other = await person.request('PUT', '/v1/stores/store-b/maintenance-windows', windows);
    assert.equal(other.status, 403);
    assert.equal(other.body['error'], 'forbidden');
    const own = await person.request('PUT', '/v1/stores/store-a/maintenance-windows', windows);
    assert.equal(own.status, 503, 'allowed in its own store (this API runs no rollouts)');
    const record = a.audit.records.findLast((r) => r.action === 'console-request');
    assert.equal(record?.storeId, 'store-a');
    const invite = await person.request('POST', '/v1/auth/invitations', {
      role: 'staff',
      store: 'store-a',
      name: 'Cem',
    });
    assert.equal(invite.status, 403, 'only ops invite');
  });
});
