// The shopper's story in a real browser at phone width, against the embedded platform with a
// payment service and a real cart model over MQTT: sign in through a one-time link with a
// passkey, pair with the cart by the QR code the page shows, watch the basket change as the cart
// scans, pay at the cart, open the receipt and see its signature checked in the page (and a
// tampered one refused), keep a pre-shop list, see cards as last four digits and tokens, take a
// copy of the data, delete the account.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { ScaledClock } from '../../src/device/clock/sim-clock.js';
import { paymentToken } from '../../src/device/cart/emv.js';
import { issueToken, loadTokenKeys } from '../../src/surfaces/api/tokens.js';
import { apiRequest } from '../../test-support/api-client.js';
import {
  PHONE,
  enrolThroughLink,
  freshContext,
  launchChromium,
  screenshot,
} from '../../test-support/browser.js';
import { assertAccessible } from '../../test-support/console-page.js';
import { signInLink, startConsolePlatform } from '../../test-support/console-platform.js';
import { InMemoryPaymentGateway } from '../../test-support/in-memory-payment-gateway.js';
import { seenWithin, textShown, textWithin } from '../../test-support/page-waits.js';
import { platformCart } from '../../test-support/platform-cart.js';
import {
  STORE,
  fleetDataDir,
  importMembersCsv,
  provisionDevice,
} from '../../test-support/platform.js';
import { readQrCode } from '../../test-support/qr-reader.js';
import { SHELF } from '../../test-support/test-cart.js';

const LOYALTY = '6012345678904321';
const MEMBER_CSV =
  'loyalty_number,first_name,last_name,email,phone,address,region\n' +
  `${LOYALTY},Zoë,Ackermann,zoe@example.com,+49 30 1234567,Unter den Linden 1,eu\n`;
const CARD = { kind: 'payment', cardId: 'card-customer-app' } as const;
/** The cart stays awake through the test: no pause or sleep timers fire on their own. */
const CALM = { pauseAfterMs: 3_600_000, sleepAfterMs: 7_200_000, idleSleepAfterMs: 7_200_000 };
/** Decision 023: a live change reaches an open page within 2 s of the event. */
const LIVE_MS = 2_000;

/** Runs axe on the page as it is now and writes its picture when screenshots are asked for. */
async function look(page: Page, view: string): Promise<void> {
  await assertAccessible(page, view);
  await screenshot(page, view);
}

function tab(page: Page, name: string) {
  return page.getByRole('navigation').getByRole('link', { name, exact: true });
}

describe('customer app in a browser (phone)', () => {
  it('pairs with a cart by QR code, watches the basket live, verifies a receipt, keeps a list, exports and deletes the account', async (t) => {
    const browser = await launchChromium(t);
    if (!browser) return;
    t.after(() => browser.close());

    const data = await fleetDataDir(t);
    const cartDir = await provisionDevice(data, 'CART-0390');
    await importMembersCsv(t, data, MEMBER_CSV);
    const gateway = new InMemoryPaymentGateway();
    t.after(() => gateway.close());
    const platform = await startConsolePlatform(t, data, {}, { paymentGateway: gateway });
    const customerId = await platform.entities.findAccountByLoyalty(
      await platform.customers.cipher.lookupDigest('loyalty', LOYALTY),
    );
    assert.ok(customerId, 'the imported member has an account');

    // Sign in: the real `fleetplane login-link` for this account, a passkey made by Chromium's
    // virtual authenticator.
    const link = await signInLink(data, { role: 'customer', subject: customerId });
    const context = await freshContext(browser, PHONE);
    const page = await context.newPage();
    await enrolThroughLink(page, link, { onSigninPage: (p) => look(p, 'signin') });
    assert.equal(new URL(page.url()).pathname, '/app');
    await textShown(page.getByTestId('live-state'), 'Live');

    // Pairing: the page shows a one-time code as a QR code and as text; the cart's scanner reads
    // the QR code (a picture of the screen), and the cart identifies the customer with it.
    const pairing = page.getByTestId('pairing');
    await pairing.getByRole('button', { name: 'Show my pairing code' }).click();
    await textShown(page.getByTestId('pairing-code'), /^[A-Z2-9]{8}$/);
    const shownCode = ((await page.getByTestId('pairing-code').textContent()) ?? '').trim();
    const read = await readQrCode(pairing.locator('svg.qr'));
    assert.equal(read, shownCode, 'the QR code holds the code shown as text');
    await look(page, 'app-pairing');

    const cart = await platformCart(t, platform, cartDir, new ScaledClock({ speed: 1 }), {
      timing: CALM,
    });
    await cart.powerOn();
    const tappedAt = Date.now();
    const tapped = await cart.tap({ kind: 'app-code', code: read ?? '' });
    assert.equal(tapped.refused, undefined);
    assert.ok(tapped.sessionId, 'the app code started a session');
    const basket = page.getByTestId('live-basket');
    const paired = await seenWithin('the live basket after pairing', tappedAt, LIVE_MS, () =>
      basket.isVisible(),
    );
    t.diagnostic(`paired: basket shown ${paired} ms after the cart read the code`);
    const session = await platform.entities.getSession(tapped.sessionId);
    assert.equal(session?.accountId, customerId, 'the session is linked to the account');

    // Each scan at the cart shows in the basket within 2 s, without a reload.
    const products = SHELF.products.slice(0, 2);
    let items = 0;
    let totalCents = 0;
    for (const product of products) {
      let scannedAt = Date.now();
      let scanned = await cart.scanItem(product);
      for (let i = 0; i < 10 && !scanned.ok; i++) {
        scannedAt = Date.now();
        scanned = await cart.scanItem(product);
      }
      assert.ok(scanned.ok, `the cart scanned ${product.barcode}`);
      items += 1;
      totalCents += scanned.entry?.price_cents ?? 0;
      const ms = await textWithin(
        basket.getByTestId('basket-items'),
        String(items),
        scannedAt,
        LIVE_MS,
      );
      await textWithin(basket.getByTestId('basket-total'), euros(totalCents), scannedAt, LIVE_MS);
      t.diagnostic(`scan ${items}: basket shown ${ms} ms after the scan`);
    }
    await look(page, 'app-basket');

    // The cart pays at its terminal and checks out over the device API: a signed receipt.
    const paid = await cart.checkout(CARD);
    assert.equal(paid.result?.outcome, 'paid', JSON.stringify(paid));
    const receiptId = paid.result?.receipt_id ?? '';
    assert.match(receiptId, /^rcpt_[a-f0-9]{32}$/);
    await pairing.waitFor();

    // History: the trip with its receipt; the receipt's signature is checked in the page.
    await tab(page, 'Receipts').click();
    const history = page.getByTestId('history');
    await history.getByRole('link', { name: 'Open receipt' }).waitFor();
    await look(page, 'app-history');
    await history.getByRole('link', { name: 'Open receipt' }).click();
    await page.waitForURL(new RegExp(`#receipt/${receiptId}$`));
    const check = page.getByTestId('receipt-check');
    await check.waitFor();
    assert.equal(await check.getAttribute('data-check'), 'verified');
    await textShown(check, 'Signature verified');
    await textShown(page.locator('tfoot tr').first().locator('td'), euros(totalCents));
    await look(page, 'app-receipt');

    // A receipt changed on the way (a higher total) does not verify.
    await page.route('**/v1/me/receipts/*', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { receipt: { total_cents: number } };
      body.receipt.total_cents += 100;
      await route.fulfill({ response, json: body });
    });
    await page.reload();
    await check.waitFor();
    assert.equal(await check.getAttribute('data-check'), 'invalid');
    await textShown(check, 'Signature does not verify');
    await look(page, 'app-receipt-tampered');
    await page.unroute('**/v1/me/receipts/*');

    // The pre-shop list: add two items, remove one, save; it is there after a reload.
    await tab(page, 'Shop').click();
    const store = page.getByLabel('Store', { exact: true });
    await seenWithin(`the list for ${STORE}`, Date.now(), 10_000, async () => {
      return (await store.count()) === 1 && (await store.inputValue()) === STORE;
    });
    for (const sku of ['SKU-1029', 'SKU-2210']) {
      await page.getByLabel('Item code').fill(sku);
      await page.getByRole('button', { name: 'Add', exact: true }).click();
    }
    await page.getByRole('button', { name: 'Remove SKU-2210' }).click();
    await page.getByRole('button', { name: 'Save list' }).click();
    await textShown(page.getByText('List saved.'), 'List saved.');
    await look(page, 'app-list');
    await page.reload();
    await textShown(page.getByTestId('shopping-list'), /SKU-1029/);
    assert.doesNotMatch((await page.getByTestId('shopping-list').textContent()) ?? '', /SKU-2210/);

    // Cards: the loyalty card's last four digits, payment methods as tokens; never a number.
    await tab(page, 'Cards').click();
    await textShown(page.getByText('Card ending in'), /Card ending in\s*4321/);
    const cardsText = (await page.locator('main').textContent()) ?? '';
    assert.ok(!cardsText.includes(LOYALTY), 'never the whole loyalty number');
    assert.ok(!cardsText.includes(paymentToken(CARD.cardId)), 'never the card token');
    await look(page, 'app-cards');

    // Export my data: a download holding this account's data.
    await tab(page, 'My data').click();
    await look(page, 'app-data');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download my data' }).click(),
    ]);
    const exported = await readFile((await download.path()) ?? '', 'utf8');
    const mine = JSON.parse(exported) as { account?: { customerId?: string } };
    assert.equal(mine.account?.customerId, customerId, exported.slice(0, 400));
    assert.ok(exported.includes('zoe@example.com'), 'the profile, decrypted for its owner');
    assert.ok(exported.includes(tapped.sessionId), 'the shopping trip');
    assert.ok(exported.includes('SKU-1029'), 'the pre-shop list');

    // Delete my account: the checkbox confirms, the page runs the step-up ceremony with the
    // passkey, and the account ends.
    const remove = page.getByRole('button', { name: 'Delete my account' });
    assert.equal(await remove.isDisabled(), true, 'not before the checkbox');
    await page
      .getByRole('checkbox', { name: 'I understand my account cannot be restored' })
      .check();
    const answers: string[] = [];
    page.on('response', (r) => {
      const path = new URL(r.url()).pathname;
      if (path === '/v1/me' || path.startsWith('/v1/auth/step-up/')) {
        answers.push(`${r.request().method()} ${path} ${r.status()}`);
      }
    });
    await remove.click();
    await page.getByRole('heading', { name: 'Your account is deleted' }).waitFor();
    assert.deepEqual(answers, [
      'DELETE /v1/me 403',
      'POST /v1/auth/step-up/options 200',
      'POST /v1/auth/step-up/verify 200',
      'DELETE /v1/me 200',
    ]);
    await look(page, 'app-deleted');

    const signedIn = await page.request.get(new URL('/v1/auth/session', page.url()).href);
    assert.equal(signedIn.status(), 401, 'the session is gone');
    await page.goto(new URL('/app', page.url()).href);
    await page.waitForURL(/\/signin/);
    const keys = await loadTokenKeys(platform.layout.tokenKey);
    const privacy = await issueToken(
      keys,
      { role: 'privacy', region: 'eu', subject: 'dpo' },
      new Date(),
    );
    const lookedUp = await apiRequest(platform, 'POST', '/v1/privacy/requests', {
      token: privacy,
      body: { kind: 'export', loyalty_number: LOYALTY },
    });
    assert.equal(lookedUp.status, 404, 'no account behind the loyalty number');
    const me = await issueToken(keys, { role: 'customer', subject: customerId }, new Date());
    for (const path of ['/v1/me/cards', '/v1/me/sessions', `/v1/me/lists/${STORE}`]) {
      const answer = await apiRequest(platform, 'GET', path, { token: me });
      assert.equal(answer.status, 403, `${path} after deletion: ${JSON.stringify(answer.body)}`);
    }
    const record = await platform.customers.vaults.get('eu')?.getAccount(customerId);
    assert.ok(!record || record.erasedAt, 'the vault record is erased');
    await context.close();
  });
});

/** An amount as the page writes it, whatever the currency sign: 747 → /\b7\.47$/. */
function euros(cents: number): RegExp {
  return new RegExp(`\\b${Math.floor(cents / 100)}\\.${String(cents % 100).padStart(2, '0')}$`);
}
