import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SHELF, testCart, until } from '../../../test-support/test-cart.js';
import { paymentToken } from './emv.js';

const CALM = { pauseAfterMs: 3_600_000, sleepAfterMs: 7_200_000, idleSleepAfterMs: 7_200_000 };

/** Every file under the flash directory, as bytes and as text. */
async function flashContents(dir: string): Promise<{ name: string; text: string }[]> {
  const names = await readdir(dir, { recursive: true, withFileTypes: true });
  const out = [];
  for (const entry of names) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    // A temporary file may be renamed between the listing and the read; its content is then
    // read under its final name.
    const bytes = await readFile(path).catch(() => undefined);
    if (bytes) out.push({ name: path, text: bytes.toString('latin1') });
  }
  return out;
}

function assertNoneOf(files: { name: string; text: string }[], secrets: Record<string, string>) {
  for (const file of files) {
    for (const [what, secret] of Object.entries(secrets)) {
      assert.ok(!file.text.includes(secret), `${file.name} holds the ${what}`);
    }
  }
}

describe('flash privacy', () => {
  it('no loyalty number, payment token, app code, customer id, first name, pre-shop list or auth token ever reaches flash', async (t) => {
    const { cart, broker, api } = await testCart(t, { timing: CALM });
    const loyalty = '6012345678901234';
    const appCode = 'K7Q2ZX9M';
    const cardId = 'card-privacy-1';
    const customerId = randomUUID();
    const firstName = 'Anneliese';
    // Not in the catalog, so only the list could put it in flash.
    const listed = 'LIST-ONLY-SKU-42';
    const scan = async (i: number) => {
      for (let n = 0; n < 20 && !(await cart.scanItem(SHELF.products[i]!)).ok; n++);
    };

    await cart.powerOn();
    await cart.tap({ kind: 'loyalty', number: loyalty });
    await scan(0);
    broker.command('attach-customer', {
      customer_id: customerId,
      first_name: firstName,
      shopping_list: [listed, SHELF.products[1]!.sku],
    });
    await until(() => cart.view.greeting === `Hello, ${firstName}`, 'greeting');
    assert.equal(cart.view.list[0]?.sku, listed);

    // Offline: the sealed identifies wait in the flash queue with the scans (ciphertext only
    // the identity service can open: acceptable there); then a power loss mid-session.
    cart.faults.setWifi(false);
    cart.faults.setCellular(false);
    await until(() => cart.link === 'none', 'offline');
    await cart.tap({ kind: 'app-code', code: appCode });
    await cart.tap({ kind: 'payment', cardId });
    await scan(1);
    await scan(2);
    const secrets = {
      'loyalty number': loyalty,
      'payment token': paymentToken(cardId),
      'app code': appCode,
      'customer id': customerId,
      'first name': firstName,
      'pre-shop list': listed,
    };
    const offline = await flashContents(cart.flashDir);
    assert.ok(
      offline.some((f) => f.name.includes('queue')),
      'the offline queue is on flash',
    );
    assert.ok(offline.some((f) => f.name.endsWith('session.json')));
    assertNoneOf(offline, secrets);
    await cart.reboot();
    assertNoneOf(await flashContents(cart.flashDir), secrets);

    // Back online: pay with an authorization token, then a second, offline, session.
    cart.faults.setWifi(true);
    await cart.tap({ kind: 'payment', cardId });
    await scan(3);
    const paid = await cart.checkout({ kind: 'payment', cardId });
    assert.equal(paid.status, 'authorized');
    assert.equal(paid.delivery, 'checkout', 'the paid session-end went over HTTPS, not flash');
    await cart.flush(3000);
    const authToken = api.accepted[0]?.payment.auth_token;
    assert.ok(authToken);

    await cart.tap({ kind: 'loyalty', number: loyalty });
    cart.faults.setWifi(false);
    await until(() => cart.link === 'none', 'offline again');
    await scan(4);
    assert.equal((await cart.checkout({ kind: 'payment', cardId })).status, 'deferred');
    assertNoneOf(await flashContents(cart.flashDir), { ...secrets, 'auth token': authToken });
    cart.faults.setWifi(true);
    await cart.flush(3000);
    // Once delivered, not even the ciphertext of a sealed credential is left behind.
    const identifies = broker.of('identify');
    const sealed = Object.fromEntries(
      identifies.map((m, i) => [`sealed credential ${i}`, m.credential.ct]),
    );
    assertNoneOf(await flashContents(cart.flashDir), {
      ...secrets,
      'auth token': authToken,
      ...sealed,
    });
    // The cloud got them all the same, and only the identity service can read them.
    assert.deepEqual(
      identifies.map((m) => api.open(m)).sort(),
      [appCode, loyalty, loyalty, paymentToken(cardId), paymentToken(cardId)].sort(),
    );
    for (const m of broker.received) {
      const text = JSON.stringify(m.message);
      assert.ok(!text.includes(loyalty) && !text.includes(paymentToken(cardId)), m.message.type);
    }
  });
});
