import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { customerWorld } from '../../../test-support/customer-world.js';
import { TestDevice } from '../../../test-support/entity-events.js';
import type { Identify } from '../../contract/index.js';
import { importMembers } from './members-import.js';
import { parseMembersCsv } from './members-csv.js';

const CLI = { role: 'cli', subject: 'test' };
const MEMBERS = `loyalty_number,first_name,last_name,email,phone,address,region
6012345678901234,Zoë,Ackermann,zoe@example.com,+49 30 1234567,Unter den Linden 1 Berlin,eu
6012345678905555,Ann,Baker,ann@example.com,+1 555 0100,1 Main St Springfield,us
`;

async function world(t: Parameters<typeof customerWorld>[0]) {
  const w = await customerWorld(t, { 'berlin-1': 'eu', 'austin-1': 'us' });
  const parsed = parseMembersCsv(MEMBERS);
  await importMembers(parsed.rows, CLI, w);
  return w;
}

const asIdentify = (e: { message: unknown }) => e.message as Identify;

describe('identity service', () => {
  it('resolves a loyalty card to its member, and greets by first name with an audit record', async (t) => {
    const w = await world(t);
    const cart = new TestDevice('CART-1', 'berlin-1');
    const session = randomUUID();
    const event = w.identify(cart, session, 'loyalty', '6012345678901234');
    const resolved = await w.identity.resolve(asIdentify(event), 'berlin-1');
    assert.ok(resolved.ok);
    assert.equal(resolved.kind, 'member');
    assert.equal(resolved.created, false, 'the imported member');
    const context = { storeId: 'berlin-1', deviceId: 'CART-1', sessionId: session };
    assert.equal(await w.identity.greeting(resolved.customerId, context), 'Zoë');
    const [record] = await w.audit.query({ accountId: resolved.customerId, action: 'decrypt' });
    assert.deepEqual(record?.fields, ['first_name']);
    assert.equal(record?.purpose, 'greet customer on cart');
    assert.equal(record?.actor.subject, 'identity-service');
    assert.equal(record?.deviceId, 'CART-1');
  });

  it('gives no greeting on a cart in another region than the account', async (t) => {
    const w = await world(t);
    const cart = new TestDevice('CART-2', 'austin-1');
    const session = randomUUID();
    const event = w.identify(cart, session, 'loyalty', '6012345678901234');
    const resolved = await w.identity.resolve(asIdentify(event), 'austin-1');
    assert.ok(resolved.ok);
    const context = { storeId: 'austin-1', deviceId: 'CART-2', sessionId: session };
    assert.equal(await w.identity.greeting(resolved.customerId, context), undefined);
    assert.deepEqual(
      await w.audit.query({ accountId: resolved.customerId, action: 'decrypt' }),
      [],
    );
  });

  it('registers an unknown loyalty card as a pseudonymous member once', async (t) => {
    const w = await world(t);
    const cart = new TestDevice('CART-1', 'berlin-1');
    const first = await w.identity.resolve(
      asIdentify(w.identify(cart, randomUUID(), 'loyalty', '6099999999999999')),
      'berlin-1',
    );
    const again = await w.identity.resolve(
      asIdentify(w.identify(cart, randomUUID(), 'loyalty', '6099999999999999')),
      'berlin-1',
    );
    assert.ok(first.ok && again.ok);
    assert.equal(first.created, true);
    assert.equal(again.customerId, first.customerId);
    assert.equal((await w.entities.getAccount(first.customerId))?.region, 'eu');
  });

  it("resolves a payment card to the card-holder it registered in the store's region's vault", async (t) => {
    const w = await world(t);
    const cart = new TestDevice('CART-1', 'austin-1');
    const token = 'tok_A1b2C3d4E5f6G7h8';
    const first = await w.identity.resolve(
      asIdentify(w.identify(cart, randomUUID(), 'payment-token', token)),
      'austin-1',
    );
    const second = await w.identity.resolve(
      asIdentify(w.identify(cart, randomUUID(), 'payment-token', token)),
      'austin-1',
    );
    assert.ok(first.ok && second.ok);
    assert.equal(first.kind, 'card-holder');
    assert.equal(first.created, true);
    assert.equal(second.customerId, first.customerId);
    assert.match(first.customerId, /^[0-9a-f-]{36}$/, 'a random UUID, not derived from the card');
    assert.ok(await w.vaults.get('us')!.getAccount(first.customerId));
    assert.equal(await w.vaults.get('eu')!.getAccount(first.customerId), undefined);
    const joins = await w.audit.query({ accountId: first.customerId, action: 'join' });
    assert.equal(joins.length, 2, 'registration and lookup both audited');
    w.payments.available = false;
    const down = await w.identity.resolve(
      asIdentify(w.identify(cart, randomUUID(), 'payment-token', token)),
      'austin-1',
    );
    assert.deepEqual(down.ok ? 'ok' : down.reason, 'payment-unavailable');
  });

  it('exchanges an app code once, before it expires', async (t) => {
    const w = await world(t);
    const member = await w.dsar.findByLoyalty('6012345678905555');
    const cart = new TestDevice('CART-1', 'austin-1');
    const { code } = await w.identity.issueAppCode(member!);
    const ok = await w.identity.resolve(
      asIdentify(w.identify(cart, randomUUID(), 'app-code', code)),
      'austin-1',
    );
    assert.ok(ok.ok);
    assert.equal(ok.customerId, member);
    const reused = await w.identity.resolve(
      asIdentify(w.identify(cart, randomUUID(), 'app-code', code)),
      'austin-1',
    );
    assert.equal(reused.ok ? 'ok' : reused.reason, 'app-code');
    const late = await w.identity.issueAppCode(member!);
    w.advance(5 * 60_000 + 1);
    const expired = await w.identity.resolve(
      asIdentify(w.identify(cart, randomUUID(), 'app-code', late.code)),
      'austin-1',
    );
    assert.equal(expired.ok ? 'ok' : expired.reason, 'app-code');
  });

  it('refuses a credential sealed for another session, to another key, or malformed', async (t) => {
    const w = await world(t);
    const cart = new TestDevice('CART-1', 'berlin-1');
    const event = asIdentify(w.identify(cart, randomUUID(), 'loyalty', '6012345678901234'));
    const moved = await w.identity.resolve({ ...event, session_id: randomUUID() }, 'berlin-1');
    assert.equal(moved.ok ? 'ok' : moved.reason, 'seal');
    const stranger = { ...w.seal, kid: 'seal-0000000000000000' };
    const unknownKey = await w.identity.resolve(
      asIdentify(w.identify(cart, randomUUID(), 'loyalty', '6012345678901234', stranger)),
      'berlin-1',
    );
    assert.equal(unknownKey.ok ? 'ok' : unknownKey.reason, 'seal');
    const malformed = await w.identity.resolve(
      asIdentify(w.identify(cart, randomUUID(), 'loyalty', 'ann@example.com')),
      'berlin-1',
    );
    assert.equal(malformed.ok ? 'ok' : malformed.reason, 'credential-format');
  });

  it('links a guest session retroactively when the customer identifies mid-shop', async (t) => {
    const w = await world(t);
    const cart = new TestDevice('CART-1', 'berlin-1');
    const session = randomUUID();
    await w.entities.project([
      cart.event('session-start', { session_id: session }),
      cart.event('scan', { session_id: session, scan_seq: 1 }),
      cart.event('scan', { session_id: session, scan_seq: 2 }),
    ]);
    assert.equal((await w.entities.getSession(session))?.accountId, null);
    const identify = w.identify(cart, session, 'loyalty', '6012345678901234');
    await w.entities.project([identify]);
    const resolved = await w.identity.resolve(asIdentify(identify), 'berlin-1');
    assert.ok(resolved.ok);
    assert.equal((await w.entities.attachAccount(session, resolved.customerId)).attached, true);
    const linked = await w.entities.getSession(session);
    assert.equal(linked?.accountId, resolved.customerId);
    assert.equal(linked?.scanCount, 2, 'the scans before the identify belong to the customer');
  });
});
