import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { apiRequest } from '../../../test-support/api-client.js';
import {
  fleetDataDir,
  importMembersCsv,
  startTestPlatform,
} from '../../../test-support/platform.js';
import { issueToken, loadTokenKeys } from './tokens.js';

const LOYALTY = '6012345678904321';

// The customer app and the privacy officer over HTTP, against an embedded platform whose vault
// holds one EU member (store berlin-1 is in the EU).
describe('HTTP API: customer app and data-subject requests', () => {
  it('serves a customer only their own data, and runs DSARs with residency and scoping', async (t) => {
    const data = await fleetDataDir(t);
    await importMembersCsv(
      t,
      data,
      'loyalty_number,first_name,last_name,email,phone,address,region\n' +
        `${LOYALTY},Zoë,Ackermann,zoe@example.com,+49 30 1234567,Unter den Linden 1,eu\n`,
    );
    const platform = await startTestPlatform(t, data);
    const keys = await loadTokenKeys(platform.layout.tokenKey);
    const token = (request: Parameters<typeof issueToken>[1]) =>
      issueToken(keys, request, new Date());
    const privacyEu = await token({ role: 'privacy', region: 'eu', subject: 'dpo-eu' });
    const privacyUs = await token({ role: 'privacy', region: 'us', subject: 'dpo-us' });
    const staff = await token({ role: 'staff', store: 'berlin-1' });

    const exported = await apiRequest(platform, 'POST', '/v1/privacy/requests', {
      token: privacyEu,
      body: { kind: 'export', loyalty_number: LOYALTY },
    });
    assert.equal(exported.status, 200, JSON.stringify(exported.body));
    const account = exported.body['account'] as { customerId: string; region: string };
    assert.equal(account.region, 'eu');
    assert.equal((exported.body['profile'] as Record<string, string>)['email'], 'zoe@example.com');

    const refused = await apiRequest(platform, 'POST', '/v1/privacy/requests', {
      token: privacyUs,
      body: { kind: 'export', loyalty_number: LOYALTY },
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.body['error'], 'residency-refused');
    const bad = await apiRequest(platform, 'POST', '/v1/privacy/requests', {
      token: privacyEu,
      body: { kind: 'erase-everything', loyalty_number: LOYALTY },
    });
    assert.equal(bad.status, 400);
    const byStaff = await apiRequest(platform, 'GET', '/v1/privacy/requests', { token: staff });
    assert.equal(byStaff.status, 403);
    const listed = await apiRequest(platform, 'GET', '/v1/privacy/requests', { token: privacyEu });
    const states = (listed.body['requests'] as { state: string; deadline: string }[]).map(
      (r) => r.state,
    );
    assert.deepEqual(states.sort(), ['completed', 'refused']);

    const me = await token({ role: 'customer', subject: account.customerId });
    const code = await apiRequest(platform, 'POST', '/v1/me/pairing-code', { token: me });
    assert.equal(code.status, 200);
    assert.match(String(code.body['code']), /^[A-Z2-9]{8}$/);
    const list = await apiRequest(platform, 'PUT', '/v1/me/lists/berlin-1', {
      token: me,
      body: { skus: ['SKU-1029', 'SKU-2210'] },
    });
    assert.equal(list.status, 200);
    const cards = await apiRequest(platform, 'GET', '/v1/me/cards', { token: me });
    assert.deepEqual(cards.body['loyalty_cards'], [{ last4: '4321' }]);
    assert.ok(!JSON.stringify(cards.body).includes(LOYALTY), 'never the whole number');
    const history = await apiRequest(platform, 'GET', '/v1/me/sessions', { token: me });
    assert.deepEqual(history.body['sessions'], []);

    const stranger = await token({ role: 'customer', subject: randomUUID() });
    assert.equal(
      (await apiRequest(platform, 'GET', '/v1/me/cards', { token: stranger })).status,
      403,
    );
    assert.equal(
      (await apiRequest(platform, 'GET', '/v1/me/cards', { token: staff })).status,
      403,
      'staff are not customers',
    );

    const deleted = await apiRequest(platform, 'DELETE', '/v1/me', { token: me });
    assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
    assert.equal((await apiRequest(platform, 'GET', '/v1/me/cards', { token: me })).status, 403);
    const gone = await apiRequest(platform, 'POST', '/v1/privacy/requests', {
      token: privacyEu,
      body: { kind: 'export', loyalty_number: LOYALTY },
    });
    assert.equal(gone.status, 404);
  });
});
