import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConsoleBrowser,
  fetchSend,
  loginLinkCli,
  SoftwareAuthenticator,
} from '../../test-support/console-browser.js';
import {
  fleetDataDir,
  importMembersCsv,
  runCli,
  startTestPlatform,
  STORE,
} from '../../test-support/platform.js';
import { consoleBaseUrl } from './relying-party.js';
import { platformFetch } from '../../test-support/api-client.js';

const LOYALTY = '6012345678905555';
/** The platform serves HTTPS by default, so the session cookie carries the __Host- prefix. */
const HTTPS_COOKIE = '__Host-fp_session';

/** `fleetplane login-link …` against the running platform; the URL's token (last line). */
async function loginLink(...argv: string[]): Promise<{ url: string; token: string }> {
  const { code, io } = await loginLinkCli(...argv);
  assert.equal(code, 0, io.text());
  const url = io.stdout.at(-1)!;
  const [, token] = url.split('#link=');
  assert.ok(token, `a link on the last line: ${url}`);
  return { url, token };
}

// The whole ceremony over HTTP against an embedded platform: the CLI's link, a software
// authenticator standing in for the browser's, the session cookie and CSRF token as a page holds
// them.
describe('console sign-in against a running platform', () => {
  it('enrols, signs in, scopes staff to their store, guards sensitive actions and signs out', async (t) => {
    const data = await fleetDataDir(t);
    await runCli('store', 'add', '--data', data, '--id', 'hamburg-1', '--name', 'Hamburg 1');
    await importMembersCsv(
      t,
      data,
      'loyalty_number,first_name,last_name,email,phone,address,region\n' +
        `${LOYALTY},Zoë,Ackermann,zoe@example.com,,,eu\n`,
    );
    const platform = await startTestPlatform(t, data);
    const origin = consoleBaseUrl(platform.apiUrl);
    assert.match(origin, /^https:\/\/localhost:[0-9]+$/, 'the console by name, not by IP address');
    const key = new SoftwareAuthenticator({ origin });
    const send = fetchSend(platform.apiUrl, platformFetch(platform));

    const staffLink = await loginLink(
      '--data',
      data,
      '--role',
      'staff',
      '--store',
      STORE,
      '--name',
      'Ana',
    );
    assert.ok(staffLink.url.startsWith(`${origin}/signin#link=`), staffLink.url);
    const enrolling = new ConsoleBrowser(send, key, HTTPS_COOKIE);
    const enrolled = await enrolling.enrol(staffLink.token);
    assert.equal(enrolled.status, 200, JSON.stringify(enrolled.body));
    const reused = await new ConsoleBrowser(
      send,
      new SoftwareAuthenticator({ origin }),
      HTTPS_COOKIE,
    ).enrol(staffLink.token);
    assert.equal(reused.status, 401);
    assert.equal(reused.body['error'], 'link-used');

    const ana = new ConsoleBrowser(send, key, HTTPS_COOKIE);
    assert.equal((await ana.signIn('staff')).status, 200);
    const session = await ana.request('GET', '/v1/auth/session');
    assert.equal(session.status, 200);
    assert.equal(session.body['role'], 'staff');
    assert.equal(session.body['store'], STORE);
    assert.equal(session.body['name'], 'Ana');
    assert.equal((await ana.request('GET', `/v1/stores/${STORE}/devices`)).status, 200);
    const elsewhere = await ana.request('GET', '/v1/stores/hamburg-1/devices');
    assert.equal(elsewhere.status, 403, 'staff of one store see nothing of another');
    const flag = { reason: 'cleaning' };
    const forged = await ana.request('PUT', `/v1/stores/${STORE}/carts/CART-1/maintenance`, flag, {
      csrf: false,
    });
    assert.equal(forged.status, 403);
    assert.equal(forged.body['error'], 'csrf-invalid');

    const opsLink = await loginLink('--data', data, '--role', 'ops', '--subject', 'olga');
    const olga = new ConsoleBrowser(send, new SoftwareAuthenticator({ origin }), HTTPS_COOKIE);
    assert.equal((await olga.enrol(opsLink.token)).status, 200);
    const abort = '/v1/ota/rollouts/00000000-0000-4000-8000-00000000000a/abort';
    const unconfirmed = await olga.request('POST', abort, {});
    assert.equal(unconfirmed.status, 403);
    assert.equal(unconfirmed.body['error'], 'fresh-assertion-required');
    assert.equal((await olga.stepUp()).status, 200);
    assert.equal(
      (await olga.request('POST', abort, {})).status,
      404,
      'past the guard: no such rollout',
    );

    const digest = await platform.customers.cipher.lookupDigest('loyalty', LOYALTY);
    const customerId = await platform.entities.findAccountByLoyalty(digest);
    assert.ok(customerId);
    const customerLink = await loginLink(
      '--data',
      data,
      '--role',
      'customer',
      '--subject',
      customerId,
    );
    const zoe = new ConsoleBrowser(send, new SoftwareAuthenticator({ origin }), HTTPS_COOKIE);
    assert.equal((await zoe.enrol(customerLink.token)).status, 200);
    const cards = await zoe.request('GET', '/v1/me/cards');
    assert.deepEqual(cards.body['loyalty_cards'], [{ last4: '5555' }]);
    const hasty = await zoe.request('DELETE', '/v1/me');
    assert.equal(hasty.body['error'], 'fresh-assertion-required');
    assert.equal((await zoe.stepUp()).status, 200);
    const deleted = await zoe.request('DELETE', '/v1/me');
    assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
    assert.equal(
      (await zoe.request('GET', '/v1/auth/session')).status,
      401,
      'the account went, and its sign-in',
    );

    assert.equal((await ana.request('POST', '/v1/auth/signout')).status, 204);
    assert.equal((await ana.request('GET', '/v1/auth/session')).status, 401);
    assert.equal(
      (await enrolling.request('GET', '/v1/auth/session')).status,
      200,
      'one session ended',
    );

    const audit = platform.customers.audit;
    const signIns = await audit.query({ action: 'console-sign-in' });
    assert.deepEqual(
      signIns.map((r) => [r.actor.role, r.actor.subject, r.storeId]),
      [['staff', `person:${String(session.body['personId'])}`, STORE]],
    );
    const deletion = (await audit.query({ accountId: customerId, action: 'delete' }))[0];
    assert.match(deletion?.actor.subject ?? '', /^person:/, 'the deletion names the person');
  });

  it('prints usage hints for links that name nobody', async (t) => {
    const data = await fleetDataDir(t);
    const run = (...argv: string[]) => loginLinkCli('--data', data, ...argv);
    const staff = await run('--role', 'staff');
    assert.equal(staff.code, 2);
    assert.match(staff.io.text(), /give --store ID[\s\S]*usage: fleetplane login-link/);
    assert.equal((await run('--role', 'customer')).code, 2);
    assert.equal((await run('--role', 'admin')).code, 2);
    assert.equal((await run('--role', 'ops', '--store', STORE)).code, 2);
    const stopped = await run('--role', 'ops');
    assert.equal(stopped.code, 1);
    assert.match(stopped.io.text(), /platform-not-running/);
    const offline = await run('--role', 'ops', '--url', 'https://console.example.com/ops');
    assert.equal(offline.code, 0);
    assert.match(
      offline.io.stdout.at(-1)!,
      /^https:\/\/console\.example\.com\/signin#link=[\w-]+\.[\w-]+\.[\w-]+$/,
    );
  });
});
