import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { customerWorld } from '../../../test-support/customer-world.js';
import { TestDevice } from '../../../test-support/entity-events.js';
import { isFailure } from '../../shared/failure.js';
import { importMembers } from './members-import.js';
import { parseMembersCsv } from './members-csv.js';

const CLI = { role: 'cli', subject: 'test' };
const PRIVACY_US = { actor: { role: 'privacy', subject: 'dpo-us' }, region: 'us' as const };
const HEADER = 'loyalty_number,first_name,last_name,email,phone,address,region\n';
const ANN =
  '6012345678905555,Ann,Baker,ann.baker@example.com,+1 555 0100,1 Main St Springfield,us\n';

async function world(t: Parameters<typeof customerWorld>[0]) {
  const w = await customerWorld(t, { 'austin-1': 'us', 'berlin-1': 'eu' });
  await importMembers(parseMembersCsv(HEADER + ANN).rows, CLI, w);
  const ann = (await w.dsar.findByLoyalty('6012345678905555'))!;
  // A trip linked to her account.
  const cart = new TestDevice('CART-1', 'austin-1');
  const session = randomUUID();
  await w.entities.project([
    cart.event('session-start', { session_id: session }),
    cart.event('scan', { session_id: session, scan_seq: 1 }),
  ]);
  await w.entities.attachAccount(session, ann);
  await w.entities.putShoppingList(ann, 'austin-1', ['SKU-1029']);
  return { ...w, ann, session };
}

async function code(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'ok';
  } catch (error) {
    if (isFailure(error)) return error.code;
    throw error;
  }
}

async function filesContaining(dir: string, value: string): Promise<string[]> {
  const hits: string[] = [];
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const file = join(e.parentPath, e.name);
    if ((await readFile(file)).includes(Buffer.from(value))) hits.push(file);
  }
  return hits;
}

describe('member import', () => {
  it('reports bad rows by line, imports the rest, and changes nothing the second time', async (t) => {
    const w = await customerWorld(t, {});
    const csv =
      HEADER +
      ANN +
      'not-a-number,Bob,Jones,bob@example.com,,,us\n' +
      '6012345678906666,Cleo,Dunn,cleo-at-example.com,,,us\n' +
      '6012345678907777,Dan,Eve,dan@example.com,,,mars\n' +
      '6012345678905555,Ann,Again,ann2@example.com,,,us\n';
    const parsed = parseMembersCsv(csv);
    assert.deepEqual(
      parsed.rejected.map((r) => [r.line, r.reason]),
      [
        [3, 'loyalty_number is not 8 to 19 digits'],
        [4, 'email is not an address'],
        [5, 'region is not us or eu'],
        [6, 'loyalty_number repeats line 2'],
      ],
    );
    assert.ok(!JSON.stringify(parsed.rejected).includes('cleo-at-example.com'), 'no values');
    const first = await importMembers(parsed.rows, CLI, w);
    assert.deepEqual([first.imported, first.unchanged], [1, 0]);
    const second = await importMembers(parsed.rows, CLI, w);
    assert.deepEqual([second.imported, second.unchanged], [0, 1]);
    assert.equal((await w.entities.countAccountsByRegion())[0]?.live, 1);
    assert.deepEqual(await filesContaining(w.dataDir, 'ann.baker@example.com'), []);
    assert.equal(
      parseMembersCsv('loyalty_number,email\n1,2\n').headerError?.startsWith('line 1'),
      true,
    );
  });
});

describe('data-subject requests', () => {
  it('exports everything held about an account, audited, with the request completed', async (t) => {
    const w = await world(t);
    const out = await w.dsar.export(w.ann, PRIVACY_US);
    assert.deepEqual(out.profile, {
      email: 'ann.baker@example.com',
      first_name: 'Ann',
      last_name: 'Baker',
      phone: '+1 555 0100',
      address: '1 Main St Springfield',
      loyalty_number: '6012345678905555',
    });
    assert.equal(out.sessions.length, 1);
    assert.equal(out.sessions[0]?.sessionId, w.session);
    assert.deepEqual(out.shoppingLists, { 'austin-1': ['SKU-1029'] });
    assert.equal(out.request.state, 'completed');
    const deadline = Date.parse(out.request.deadline) - Date.parse(out.request.requestedAt);
    assert.equal(deadline, 30 * 86_400_000);
    const [audit] = await w.audit.query({ accountId: w.ann, action: 'export' });
    assert.equal(audit?.actor.subject, 'dpo-us');
    assert.ok(audit?.fields?.includes('email'));
    assert.ok(!JSON.stringify(audit).includes('ann.baker'), 'names of fields, never values');
  });

  it('corrects a field and audits which one', async (t) => {
    const w = await world(t);
    await w.dsar.correct(w.ann, { email: 'ann@new.example.com' }, PRIVACY_US);
    const out = await w.dsar.export(w.ann, PRIVACY_US);
    assert.equal(out.profile.email, 'ann@new.example.com');
    assert.equal(out.profile.first_name, 'Ann');
    const [audit] = await w.audit.query({ accountId: w.ann, action: 'correct' });
    assert.deepEqual(audit?.fields, ['email']);
  });

  it('deletes by destroying the key: the ciphertext stays, unreadable; tier 2 links go', async (t) => {
    const w = await world(t);
    const vault = w.vaults.get('us')!;
    const before = await vault.getAccount(w.ann);
    const report = await w.dsar.delete(w.ann, PRIVACY_US);
    assert.equal(report.keyDestroyed, true);
    assert.equal(report.sessionsUnlinked, 1);
    const after = await vault.getAccount(w.ann);
    assert.ok(after?.erasedAt, 'marked erased');
    assert.deepEqual(after?.fields.email, before?.fields.email, 'the ciphertext is still there');
    assert.equal(
      await code(w.cipher.openFields('us', w.ann, after!.fields, ['email'])),
      'account-erased',
    );
    assert.equal((await w.entities.getSession(w.session))?.accountId, null);
    assert.equal(await w.dsar.findByLoyalty('6012345678905555'), undefined);
    assert.deepEqual(await w.entities.getShoppingList(w.ann, 'austin-1'), []);
    assert.equal(await code(w.dsar.export(w.ann, PRIVACY_US)), 'account-not-found');
    const [audit] = await w.audit.query({ accountId: w.ann, action: 'delete' });
    assert.equal(audit?.purpose, 'data-subject deletion (crypto-shredding)');
    assert.deepEqual(await filesContaining(w.dataDir, 'ann.baker@example.com'), []);
    assert.equal((await w.audit.verify()).ok, true);
  });

  it('refuses a request from another region, unless ops gives a reason, which is audited', async (t) => {
    const w = await world(t);
    const fromEu = { actor: { role: 'privacy', subject: 'dpo-eu' }, region: 'eu' as const };
    assert.equal(await code(w.dsar.export(w.ann, fromEu)), 'residency-refused');
    const withReason = { ...fromEu, overrideReason: 'a customer moved to Berlin, ticket 4411' };
    assert.equal(await code(w.dsar.export(w.ann, withReason)), 'residency-refused', 'not ops');
    const ops = { actor: { role: 'ops', subject: 'oncall' }, region: 'eu' as const };
    assert.equal(
      await code(w.dsar.export(w.ann, { ...ops, overrideReason: withReason.overrideReason })),
      'ok',
    );
    const [override] = await w.audit.query({ accountId: w.ann, action: 'residency-override' });
    assert.equal(override?.purpose, withReason.overrideReason);
    const states = (await w.dsar.list()).map((r) => r.state);
    assert.deepEqual(states.sort(), ['completed', 'refused', 'refused']);
  });
});
