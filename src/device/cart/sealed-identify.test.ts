import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { SHELF, testCart, until } from '../../../test-support/test-cart.js';
import { FakeDeviceApi } from '../../../test-support/fake-device-api.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { paymentToken } from './emv.js';
import { Flash } from './flash.js';
import { SealKeys } from './sealed-identify.js';

const CALM = { pauseAfterMs: 3_600_000, sleepAfterMs: 7_200_000, idleSleepAfterMs: 7_200_000 };
const LOYALTY = '6012345678901234';

describe('sealed identify', () => {
  it('sends a sealed credential that opens to the tapped value only with its own device, session and method', async (t) => {
    const { cart, broker, api } = await testCart(t, { timing: CALM });
    await cart.powerOn();
    const tapped = await cart.tap({ kind: 'loyalty', number: LOYALTY });
    assert.deepEqual(tapped, { sessionId: cart.sessionId, identified: true });
    await cart.flush(2000);
    const identify = broker.of('identify')[0]!;
    assert.equal(identify.method, 'loyalty');
    assert.equal(identify.credential.kid, api.document.kid);
    assert.ok(!JSON.stringify(identify).includes(LOYALTY), 'never in the clear on the wire');

    assert.equal(api.open(identify), LOYALTY);
    assert.equal(api.open(identify, { sessionId: randomUUID() }), undefined, 'another session');
    assert.equal(api.open(identify, { deviceId: 'CART-9999' }), undefined, 'another cart');
    assert.equal(api.open({ ...identify, method: 'app-code' }), undefined, 'another method');
    assert.equal(new FakeDeviceApi().open(identify), undefined, 'another key');
  });

  it('re-seals for the new session when the cloud restarts it', async (t) => {
    const { cart, broker, api } = await testCart(t, { timing: CALM });
    await cart.powerOn();
    await cart.tap({ kind: 'payment', cardId: 'card-restart' });
    const first = cart.sessionId;
    broker.command('restart-session', { session_id: first });
    await until(() => broker.of('identify').length === 2, 'second identify');
    const [a, b] = broker.of('identify');
    assert.notEqual(b!.session_id, first);
    assert.equal(b!.session_id, cart.sessionId);
    assert.equal(api.open(a!), paymentToken('card-restart'));
    assert.equal(api.open(b!), paymentToken('card-restart'));
  });

  it('without a seal key refuses the tap with identify-unavailable, sends nothing of it, and lets the customer shop as a guest', async (t) => {
    const { cart, broker, api } = await testCart(t, { timing: CALM });
    api.serveSealKey = false;
    await cart.powerOn();
    const tapped = await cart.tap({ kind: 'loyalty', number: LOYALTY });
    assert.equal(tapped.identified, false);
    assert.equal(tapped.refused, 'identify-unavailable');
    assert.ok(tapped.sessionId, 'the session goes on as a guest session');
    assert.ok(cart.view.warnings.includes('identify-unavailable'));
    let scanned = false;
    for (let i = 0; i < 20 && !scanned; i++) scanned = (await cart.scanItem(SHELF.products[0]!)).ok;
    assert.ok(scanned, 'scanning continues');
    await cart.flush(2000);
    assert.equal(broker.of('identify').length, 0);
    assert.ok(broker.received.every((r) => !JSON.stringify(r.message).includes(LOYALTY)));
    assert.equal(broker.of('scan').length, 1);

    // The device API is back: a refused tap asks for the key again, so a later tap works.
    api.serveSealKey = true;
    let again = await cart.tap({ kind: 'app-code', code: 'K7Q2ZX9M' });
    for (let i = 0; i < 5 && !again.identified; i++) {
      await new Promise((r) => setTimeout(r, 20));
      again = await cart.tap({ kind: 'app-code', code: 'K7Q2ZX9M' });
    }
    assert.ok(again.identified);
    assert.ok(!cart.view.warnings.includes('identify-unavailable'));
    await cart.flush(2000);
    assert.equal(api.open(broker.of('identify')[0]!), 'K7Q2ZX9M');
  });

  it('keeps the seal key in flash, so a cart that boots without the device API can identify', async (t) => {
    const flash = await Flash.open(await tempDir(t));
    const api = new FakeDeviceApi();
    const keys = await SealKeys.open(flash, api);
    assert.equal(keys.current, undefined);
    assert.equal(await keys.sync(), 'updated');
    assert.equal(await keys.sync(), 'unchanged');

    api.serveSealKey = false;
    const rebooted = await SealKeys.open(flash, api);
    assert.equal(await rebooted.sync(), 'failed');
    assert.equal(rebooted.current?.kid, api.document.kid, 'a failed fetch keeps the key');
    const sessionId = randomUUID();
    const body = rebooted.identify('CART-0001', sessionId, { method: 'loyalty', value: LOYALTY });
    assert.ok(body && body['type'] === 'identify');
    assert.equal(
      api.open({
        schema_version: 1,
        type: 'identify',
        device_id: 'CART-0001',
        counter: 1,
        ts: new Date().toISOString(),
        session_id: sessionId,
        method: 'loyalty',
        credential: body['credential'] as never,
      }),
      LOYALTY,
    );
    assert.equal(await (await SealKeys.open(flash)).sync(), 'no-source');
  });
});
