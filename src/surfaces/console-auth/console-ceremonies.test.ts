import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
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

async function api(t: TestContext): Promise<ConsoleApi> {
  const built = await consoleApi(await entities());
  t.after(() => built.app.close());
  return built;
}

function browser(
  a: ConsoleApi,
  authenticator = new SoftwareAuthenticator({ origin: CONSOLE_ORIGIN }),
) {
  return new ConsoleBrowser(injectSend(a.app), authenticator);
}

async function link(a: ConsoleApi, request: LinkRequest): Promise<string> {
  return (await issueLoginLink(a.tokenKeys, request, new Date(a.clock.now))).token;
}

describe('console sign-in ceremonies', () => {
  it('enrols a passkey through a one-time link into a session cookie, and refuses the link a second time', async (t) => {
    const a = await api(t);
    const token = await link(a, { role: 'staff', store: 'store-a', name: 'Ana' });
    const described = await browser(a).request('POST', '/v1/auth/link', { link: token });
    assert.equal(described.status, 200, JSON.stringify(described.body));
    assert.deepEqual(
      { ...described.body, expiresAt: undefined },
      {
        role: 'staff',
        store: 'store-a',
        subject: null,
        name: 'Ana',
        expiresAt: undefined,
        hasPasskey: false,
        person: null,
      },
    );

    const ana = browser(a);
    const enrolled = await ana.enrol(token);
    assert.equal(enrolled.status, 200, JSON.stringify(enrolled.body));
    assert.equal(enrolled.body['role'], 'staff');
    assert.equal(enrolled.body['store'], 'store-a');
    assert.equal(enrolled.body['freshUntil'], null, 'enrolment is not a step-up');
    const cookie = ana.cookiesSeen.find((c) => c.startsWith('fp_session='));
    assert.ok(cookie, 'a session cookie');
    for (const attribute of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/']) {
      assert.ok(cookie.split('; ').includes(attribute), `${attribute} in ${cookie}`);
    }
    const session = await ana.request('GET', '/v1/auth/session');
    assert.equal(session.status, 200);
    assert.equal(session.body['personId'], enrolled.body['personId']);
    assert.equal(session.body['csrfToken'], ana.csrfToken);

    const again = await browser(a).enrol(token);
    assert.equal(again.status, 401);
    assert.equal(again.body['error'], 'link-used');
    const reread = await browser(a).request('POST', '/v1/auth/link', { link: token });
    assert.equal(reread.body['error'], 'link-used');

    const record = a.audit.records.find((r) => r.action === 'console-enrol');
    assert.deepEqual(record?.actor, {
      role: 'staff',
      subject: `person:${String(enrolled.body['personId'])}`,
    });
    assert.equal(record?.storeId, 'store-a');
  });

  it('signs in with a registered passkey, and sign-out (with the CSRF token) ends the session', async (t) => {
    const a = await api(t);
    const key = new SoftwareAuthenticator({ origin: CONSOLE_ORIGIN });
    const first = browser(a, key);
    await first.enrol(await link(a, { role: 'ops', subject: 'olga', name: 'Olga' }));
    const second = await link(a, { role: 'ops', subject: 'olga' });
    const described = await browser(a).request('POST', '/v1/auth/link', { link: second });
    assert.equal(described.body['hasPasskey'], true, 'she may sign in instead of enrolling');
    const later = browser(a, key);
    const signedIn = await later.signIn('ops');
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
    assert.equal(signedIn.body['subject'], 'olga');
    assert.notEqual(later.cookie, first.cookie, 'a session of its own');

    const forged = await later.request('POST', '/v1/auth/signout', undefined, { csrf: false });
    assert.equal(forged.status, 403);
    assert.equal(forged.body['error'], 'csrf-invalid');
    assert.equal((await later.request('POST', '/v1/auth/signout')).status, 204);
    assert.equal(later.cookie, undefined, 'the cookie is cleared');
    assert.ok(later.cookiesSeen.at(-1)?.startsWith('fp_session=;'));
    later.cookie = signedIn.setCookie[0]!.split(';')[0];
    assert.equal(
      (await later.request('GET', '/v1/auth/session')).status,
      401,
      'ended, not just forgotten',
    );
    assert.equal(
      (await first.request('GET', '/v1/auth/session')).status,
      200,
      'the other session lives',
    );
    const actions = a.audit.records.map((r) => r.action);
    assert.deepEqual(actions, ['console-enrol', 'console-sign-in', 'console-sign-out']);
  });

  it('refuses an expired link, a link of another key, and a link sent as a bearer token', async (t) => {
    const a = await api(t);
    const token = await link(a, { role: 'ops' });
    const bearer = await a.app.inject({
      method: 'GET',
      url: '/v1/auth/session',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(bearer.statusCode, 401, 'a link is no API token');
    const other = generateKeyPairSync('ed25519');
    const foreign = (await issueLoginLink(other, { role: 'ops' }, new Date(a.clock.now))).token;
    const refused = await browser(a).request('POST', '/v1/auth/enrol/options', { link: foreign });
    assert.equal(refused.body['error'], 'link-invalid');
    a.clock.now += 16 * 60_000;
    const late = await browser(a).request('POST', '/v1/auth/enrol/options', { link: token });
    assert.equal(late.status, 401);
    assert.equal(late.body['error'], 'link-expired');
    const noAccount = await link(a, { role: 'customer', subject: randomUUID() });
    assert.equal((await browser(a).enrol(noAccount)).body['error'], 'link-invalid');
  });

  it('requires user verification of ops and staff passkeys, not of a customer’s', async (t) => {
    const a = await api(t);
    const noPin = () => new SoftwareAuthenticator({ origin: CONSOLE_ORIGIN, userVerified: false });
    const ops = await browser(a, noPin()).enrol(await link(a, { role: 'ops' }));
    assert.equal(ops.status, 401);
    assert.equal(ops.body['error'], 'passkey-invalid');
    const { customerId } = await (
      await entities()
    ).createAccount({ kind: 'app-user', region: 'eu' });
    const customer = browser(a, noPin());
    const enrolled = await customer.enrol(await link(a, { role: 'customer', subject: customerId }));
    assert.equal(enrolled.status, 200, JSON.stringify(enrolled.body));
    assert.equal(enrolled.body['subject'], customerId);
    assert.equal(enrolled.body['name'], null);
    const history = await customer.request('GET', '/v1/me/sessions');
    assert.equal(history.status, 200, 'a customer session is the account for /v1/me');
    assert.deepEqual(history.body['sessions'], []);
  });

  it('refuses an answer made for another origin, and a challenge answered twice', async (t) => {
    const a = await api(t);
    const phished = browser(a, new SoftwareAuthenticator({ origin: 'http://fleetplane.example' }));
    const wrong = await phished.enrol(await link(a, { role: 'ops' }));
    assert.equal(wrong.body['error'], 'passkey-invalid');

    const key = new SoftwareAuthenticator({ origin: CONSOLE_ORIGIN });
    await browser(a, key).enrol(await link(a, { role: 'ops' }));
    const options = await browser(a).request('POST', '/v1/auth/signin/options'); // no body: as {}
    const response = key.get(options.body as never);
    const once = await browser(a).request('POST', '/v1/auth/signin/verify', { response });
    assert.equal(once.status, 200);
    const twice = await browser(a).request('POST', '/v1/auth/signin/verify', { response });
    assert.equal(twice.status, 401);
    assert.equal(twice.body['error'], 'challenge-expired');
  });

  it('lets ops invite staff of a store with a link that enrols them there', async (t) => {
    const a = await api(t);
    const ops = await issueToken(
      a.tokenKeys,
      { role: 'ops', subject: 'script' },
      new Date(a.clock.now),
    );
    const staff = await issueToken(
      a.tokenKeys,
      { role: 'staff', store: 'store-a' },
      new Date(a.clock.now),
    );
    const invite = (token: string, store = 'store-b') =>
      a.app.inject({
        method: 'POST',
        url: '/v1/auth/invitations',
        headers: { authorization: `Bearer ${token}` },
        payload: { role: 'staff', store, name: 'Bo' },
      });
    assert.equal((await invite(staff)).statusCode, 403);
    assert.equal((await invite(ops, 'store-x')).statusCode, 404);
    const unnamed = await a.app.inject({
      method: 'POST',
      url: '/v1/auth/invitations',
      headers: { authorization: `Bearer ${ops}` },
      payload: { role: 'staff', store: 'store-a' },
    });
    assert.equal(unnamed.statusCode, 201, 'a name is optional');
    const invited = await invite(ops);
    assert.equal(invited.statusCode, 201, invited.body);
    const { url } = invited.json<{ url: string }>();
    assert.match(url, /^http:\/\/localhost:8080\/signin#link=/);
    const bo = browser(a);
    const enrolled = await bo.enrol(url.split('#link=')[1]!);
    assert.equal(enrolled.body['store'], 'store-b');
    assert.equal(enrolled.body['name'], 'Bo');
    const record = a.audit.records.findLast((r) => r.action === 'console-invite');
    assert.deepEqual(record?.actor, { role: 'ops', subject: 'script' });
    assert.equal(record?.storeId, 'store-b');
  });
});
