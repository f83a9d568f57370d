import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { validateDocument } from '../contract/index.js';
import { message } from '../../test-support/messages.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  importMembersCsv,
  provisionDevice,
  receivedCommands,
  sealedCredential,
  startTestPlatform,
} from '../../test-support/platform.js';
import { issueToken, loadTokenKeys } from '../api/tokens.js';
import { platformFetch } from '../../test-support/api-client.js';

const LOYALTY = '6012345678901234';

// Carts over mutual TLS against the embedded platform: an identify is answered on the cart's
// command topic, and a battery swap carries the dead cart's basket to the next one.
describe('session link', () => {
  it("answers an imported member's loyalty tap with attach-customer and their first name only", async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-0401');
    await importMembersCsv(
      t,
      data,
      'loyalty_number,first_name,last_name,email,phone,address,region\n' +
        `${LOYALTY},Zoë,Ackermann,zoe@example.com,+49 30 1234567,Unter den Linden 1,eu\n`,
    );
    const platform = await startTestPlatform(t, data);
    const cart = await connectDevice(t, platform.mqttUrl, dir);
    const commands = receivedCommands(cart);
    const session_id = randomUUID();
    await cart.send(message('session-start', 'CART-0401', 1, { session_id }));
    const sealed = await sealedCredential(data, 'CART-0401', session_id, 'loyalty', LOYALTY);
    await cart.send(message('identify', 'CART-0401', 2, { session_id, ...sealed }));

    const command = await eventually(() => commands[0], 'an attach-customer command');
    const checked = validateDocument('command', command);
    assert.ok(checked.ok, checked.ok ? '' : checked.detail);
    assert.equal(command.name, 'attach-customer');
    assert.equal(command.device_id, 'CART-0401');
    assert.equal(command.args?.session_id, session_id);
    assert.match(command.args?.customer_id ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(command.args?.first_name, 'Zoë');
    assert.ok(!JSON.stringify(command).includes('Ackermann'), 'the first name, never more');
    assert.equal(command.args?.carried_lines, undefined);
    assert.ok(Date.parse(command.expires_at) > Date.now());
    assert.match(
      await platform.metrics.text(),
      /attach_customer_commands_total\{kind="identify",outcome="sent"\} 1/,
    );
  });

  it('carries a transferred basket to the next cart the same card identifies, and the API shows the merge', async (t) => {
    const data = await fleetDataDir(t);
    const dirA = await provisionDevice(data, 'CART-0402');
    const dirB = await provisionDevice(data, 'CART-0403');
    const platform = await startTestPlatform(t, data);
    const a = await connectDevice(t, platform.mqttUrl, dirA);
    const b = await connectDevice(t, platform.mqttUrl, dirB);
    const toB = receivedCommands(b);
    const sA = randomUUID();
    const sB = randomUUID();
    const contents = [
      { barcode: '4006381333931', sku: 'SKU-1029', quantity: 2, price_cents: 249 },
      { barcode: '5449000000996', sku: 'SKU-2210', quantity: 1, price_cents: 129 },
    ];

    await a.send(message('session-start', 'CART-0402', 1, { session_id: sA }));
    await a.send(message('scan', 'CART-0402', 2, { session_id: sA, scan_seq: 1, quantity: 2 }));
    await a.send(message('scan', 'CART-0402', 3, { session_id: sA, scan_seq: 2, sku: 'SKU-2210' }));
    const sealedA = await sealedCredential(data, 'CART-0402', sA, 'loyalty', LOYALTY);
    await a.send(message('identify', 'CART-0402', 4, { session_id: sA, ...sealedA }));
    await a.send(
      message('session-end', 'CART-0402', 5, {
        session_id: sA,
        status: 'transferred',
        item_count: 3,
        total_cents: 627,
        contents,
        payment: { method: 'none', status: 'not-attempted', amount_cents: 0 },
      }),
    );
    await new Promise((r) => setTimeout(r, 5));
    await b.send(message('session-start', 'CART-0403', 1, { session_id: sB }));
    const sealedB = await sealedCredential(data, 'CART-0403', sB, 'loyalty', LOYALTY);
    await b.send(message('identify', 'CART-0403', 2, { session_id: sB, ...sealedB }));

    const carried = await eventually(
      () => toB.find((c) => c.args?.carried_lines !== undefined),
      'the carried basket on cart B',
    );
    assert.ok(validateDocument('command', carried).ok);
    assert.equal(carried.args?.session_id, sB);
    assert.equal(carried.args?.from_session_id, sA);
    assert.deepEqual(carried.args?.carried_lines, contents);
    const plain = toB.find((c) => c.args?.carried_lines === undefined);
    assert.equal(
      plain?.args?.customer_id,
      carried.args?.customer_id,
      'one customer ref per session',
    );
    assert.notEqual(plain?.command_id, carried.command_id);

    const keys = await loadTokenKeys(platform.layout.tokenKey);
    const ops = await issueToken(keys, { role: 'ops' }, new Date());
    const get = async (path: string) =>
      (await (
        await platformFetch(platform)(`${platform.apiUrl}${path}`, {
          headers: { authorization: `Bearer ${ops}` },
        })
      ).json()) as Record<string, unknown>;
    const sessionA = await get(`/v1/sessions/${sA}`);
    assert.equal(sessionA['status'], 'transferred');
    assert.equal(sessionA['mergedInto'], sB);
    assert.equal('customerRef' in sessionA, false);
    assert.deepEqual((await get(`/v1/sessions/${sB}`))['mergedFrom'], [sA]);
    assert.match(await platform.metrics.text(), /fleetplane_session_merges_total 1/);
  });
});
