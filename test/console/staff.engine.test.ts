import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  enrolThroughLink,
  freshContext,
  launchChromium,
  screenshot,
  TABLET,
} from '../../test-support/browser.js';
import { STORE_A, STORE_B } from '../../test-support/console-fleet.js';
import {
  assertAccessible,
  pageSessionApi,
  type PageSessionApi,
} from '../../test-support/console-page.js';
import { seenWithin } from '../../test-support/page-waits.js';
import { signInLink } from '../../test-support/console-platform.js';
import { eventually } from '../../test-support/platform.js';
import { openStream, type SseClient } from '../../test-support/sse-client.js';
import {
  A1,
  A2,
  B1,
  cartInState,
  PRODUCTS,
  scan,
  settlesWithin,
  showsNothingOfB,
  staffStory,
  type Json,
} from './staff-story.js';

const SHIFT =
  "runs a store's shift: carts, a live session, overrides, maintenance, alerts, and nothing of the other store";

// The staff tablet's story (issue 15) in Chromium at tablet width, against the embedded platform
// with real cart models over mutual-TLS MQTT in two stores: sign-in with a passkey from a
// one-time link, the carts, a live session, overrides with the cart's proximity proof and a
// step-up, maintenance, the loss-prevention feed, and the wall between store A and store B.
describe('staff tablet in the browser (embedded platform, real carts)', () => {
  it(SHIFT, { timeout: 300_000 }, async (t) => {
    const browser = await launchChromium(t);
    if (!browser) return;
    t.after(() => browser.close());
    const story = await staffStory(t);
    const { platform, carts, cartOf, opsGet } = story;
    const page = await (await freshContext(browser, TABLET)).newPage();
    let session!: PageSessionApi;
    let stream!: SseClient;
    let sessionId = '';

    await t.test('1. signs in from a staff link and sees the carts of store A', async () => {
      const link = await signInLink(story.data, { role: 'staff', store: STORE_A, name: 'Anna' });
      await enrolThroughLink(page, link, {
        onSigninPage: (signin) => assertAccessible(signin, 'staff sign-in with a link'),
      });
      assert.match(page.url(), /\/staff/);
      session = await pageSessionApi(page);
      // All that the stream sends this session from now on, to check store B never shows.
      stream = await openStream(t, platform, '/v1/stream', undefined, { cookie: session.cookie });
      assert.equal(stream.status, 200);

      const expected = await story.storeCarts(STORE_A);
      for (const cart of expected) {
        const card = page.getByTestId('cart-list').locator(`[data-device="${cart['deviceId']}"]`);
        await card.waitFor();
        const text = await card.innerText();
        const maintenance = cart['maintenance'] as Json;
        const state = maintenance['outOfService']
          ? `Out of service (${maintenance['reason']})`
          : String(cart['state']);
        assert.ok(text.includes(state), `${state} in ${text}`);
        assert.ok(text.includes(`Battery ${cart['batteryPct']} %`), text);
        assert.ok(text.includes(`Signal ${cart['rssiDbm']} dBm`), text);
        assert.match(text, /Last seen (just now|\d+ s ago)/);
      }
      await page.getByText('Out of service (repair)').waitFor();
      await showsNothingOfB(page, 'the cart list');
      await assertAccessible(page, 'staff carts');
      await screenshot(page, 'staff-carts');

      await page.getByRole('link', { name: 'Floor' }).click();
      const floor = page.getByTestId('floor');
      await floor.locator('.pin').first().waitFor();
      assert.equal(await floor.locator('.pin').count(), expected.length);
      for (const cart of expected) {
        await floor.getByRole('link', { name: String(cart['deviceId']) }).waitFor();
      }
      await showsNothingOfB(page, 'the floor');
      await assertAccessible(page, 'staff floor');
      await screenshot(page, 'staff-floor');
    });

    await t.test("2. shows a customer's session live, each scan within 2 s", async () => {
      await page.getByRole('link', { name: 'Carts' }).click();
      await page.getByTestId('cart-list').locator(`[data-device="${A1}"]`).click();
      await page.getByText('No session in progress on this cart.').waitFor();

      const started = Date.now();
      sessionId = (await cartOf(A1).startAsGuest()) ?? '';
      assert.ok(sessionId, 'the cart started a session');
      const panel = page.getByTestId('live-session');
      await seenWithin('the session on the tablet', started, 2000, () => panel.isVisible());

      const [milk, bread] = [PRODUCTS[0]!, PRODUCTS[1]!];
      assert.equal((await scan(cartOf(A1), milk)).weightCheck, 'match');
      const sent = Date.now();
      const row = panel.getByRole('row').filter({ hasText: milk.barcode });
      await seenWithin('the scan in the basket', sent, 2000, () => row.first().isVisible());
      assert.match(await row.innerText(), /OK/);

      // The customer puts something heavier in the cart than what they scanned.
      assert.equal((await scan(cartOf(A1), bread, bread.weightG + 600)).weightCheck, 'mismatch');
      const mismatchAt = Date.now();
      const flagged = panel
        .getByRole('row')
        .filter({ hasText: bread.barcode })
        .filter({ hasText: '1 mismatch' });
      await seenWithin('the failed check', mismatchAt, 2000, () => flagged.first().isVisible());
      await panel.getByText('Weight checks that failed (1)').waitFor();
      await assertAccessible(page, 'staff session');
      await screenshot(page, 'staff-session');
    });

    await t.test("3. overrides only with a fresh assertion and this cart's proof", async () => {
      const actions = `/v1/stores/${STORE_A}/carts/${A1}/session-actions`;
      const shown = cartOf(A1).showProximityCode();
      // The cookie and CSRF token alone make no override: without a step-up, no pause.
      const stale = await session.send('POST', actions, {
        action: 'pause',
        session_id: sessionId,
        proof: shown,
      });
      assert.equal(stale.status, 403, JSON.stringify(stale.body));
      assert.equal(stale.body['error'], 'fresh-assertion-required');

      // The code on the cart's screen still works: a refusal before the proof uses none. The
      // test types it as a keyboard-wedge scanner would; the page asks for the passkey first.
      const override = page.getByTestId('override');
      const proofBox = override.getByRole('textbox', { name: "Code on the cart's screen" });
      const send = () => override.getByRole('button', { name: 'Send to the cart' }).click();
      await override.getByRole('radio', { name: 'Pause the session' }).check();
      await proofBox.pressSequentially(cartOf(A1).view.proximityCode!.text);
      const stepUp = page.waitForResponse((r) => r.url().endsWith('/v1/auth/step-up/verify'));
      const accepted = page.waitForResponse((r) => r.url().endsWith(actions) && r.ok());
      await send();
      assert.equal((await stepUp).status(), 200, 'the page ran the step-up ceremony');
      assert.equal((await accepted).status(), 202);
      const received = (name: string) =>
        carts[A1]!.commands.find((c) => c.name === name && c.args?.session_id === sessionId);
      await eventually(() => received('pause-session'), 'pause-session on the cart');
      await override.getByText('The cart answered: succeeded').waitFor();
      await page.getByTestId('live-session').getByText('Paused', { exact: true }).waitFor();
      assert.equal(cartOf(A1).state, 'paused');
      await assertAccessible(page, 'staff override');
      await screenshot(page, 'staff-override');

      // The code of the cart next to it is refused, and the page says why.
      await override.getByRole('radio', { name: 'Cancel the session' }).check();
      await proofBox.pressSequentially(cartOf(A2).showProximityCode());
      const refused = page.waitForResponse((r) => r.url().endsWith(actions));
      await send();
      const refusal = await refused;
      assert.equal(refusal.status(), 403);
      assert.equal(((await refusal.json()) as Json)['error'], 'proximity-wrong-cart');
      await override.getByText('That code is from another cart.').waitFor();
      await assertAccessible(page, 'staff override refused');
      assert.equal(received('cancel-session'), undefined);

      await override.getByRole('radio', { name: 'Restart the session' }).check();
      await proofBox.pressSequentially(cartOf(A1).showProximityCode());
      await send();
      await eventually(() => received('restart-session'), 'restart-session on the cart');
      const restarted = await eventually(() => {
        const id = cartOf(A1).sessionId;
        return id !== undefined && id !== sessionId ? id : undefined;
      }, 'a new session on the cart');
      // The tablet follows the cart to its new session: active, nothing in it yet.
      await page.getByTestId('live-session').getByText('Nothing scanned yet.').waitFor();
      await page.getByTestId('live-session').getByText('Active', { exact: true }).waitFor();
      assert.equal((await opsGet(`/v1/sessions/${sessionId}`))['status'], 'voided');
      assert.equal((await opsGet(`/v1/sessions/${restarted}`))['status'], 'active');
    });

    await t.test('4. takes a cart out of service and back, and the cart is told', async () => {
      await page.getByRole('link', { name: '← All carts' }).click();
      // A1 is in use with its restarted session.
      const inUse = page
        .getByLabel('Store fleet status')
        .locator('div')
        .filter({ has: page.locator('dt', { hasText: /^In use$/ }) });
      await inUse.locator('dd').filter({ hasText: /^1$/ }).waitFor();
      const list = page.getByTestId('cart-list');
      await list
        .locator(`[data-device="${A1}"]`)
        .getByText(/session in progress/)
        .waitFor();

      await list.locator(`[data-device="${A2}"]`).click();
      const panel = page.getByRole('region', { name: 'Maintenance' });
      await panel.getByText('In service.').waitFor();
      await panel.getByRole('radio', { name: 'Cleaning' }).check();
      await panel.getByRole('button', { name: 'Take out of service' }).click();
      await panel.getByText(`${A2} is out of service for cleaning.`).waitFor();
      await panel.getByText(/Out of service for cleaning, set by/).waitFor();
      await page.getByText('Out of service (cleaning)').first().waitFor();
      const desired = (on: boolean) =>
        carts[A2]!.desired.find((d) => d.desired.maintenance_mode === on);
      await eventually(() => desired(true), 'the desired shadow on the cart');
      await cartInState(cartOf(A2), 'maintenance');
      await assertAccessible(page, 'staff cart out of service');

      await panel.getByRole('button', { name: 'Put back in service' }).click();
      await panel.getByText(`${A2} is back in service.`).waitFor();
      await panel.getByText('In service.').waitFor();
      await eventually(() => desired(false), 'the desired shadow back in service');
      await cartInState(cartOf(A2), 'idle');
    });

    await t.test('5. shows an alert live; acknowledged, resolved, audited by person', async () => {
      await page.getByRole('link', { name: /Loss prevention/ }).click();
      const feed = page.getByTestId('alert-feed');
      const alerts = feed.locator('li');
      // The failed weight check of step 2, raised while another view was open.
      await alerts.filter({ hasText: 'Weight mismatch' }).filter({ hasText: A1 }).waitFor();

      // Store B's customer sets off an alert too; it must never reach this page.
      assert.ok(await cartOf(B1).startAsGuest());
      await scan(cartOf(B1), PRODUCTS[2]!, PRODUCTS[2]!.weightG + 700);

      // A customer at A2 scans something and walks off without paying.
      assert.ok(await cartOf(A2).startAsGuest());
      await scan(cartOf(A2), PRODUCTS[3]!);
      await cartOf(A2).abandon();
      const walkedOff = Date.now();
      const item = alerts.filter({ hasText: 'Exit without pay' }).filter({ hasText: A2 });
      await seenWithin('the alert in the feed', walkedOff, 2000, () => item.first().isVisible());
      const alertId = String(await item.getAttribute('data-alert'));
      assert.equal(await item.getAttribute('data-state'), 'open');
      await assertAccessible(page, 'staff loss prevention');
      await screenshot(page, 'staff-loss-prevention');

      await item.getByRole('button', { name: 'Acknowledge' }).click();
      await feed.locator(`[data-alert="${alertId}"][data-state="acknowledged"]`).waitFor();
      await item.getByText(`acknowledged by staff:person:${session.personId}`).waitFor();
      await item.getByRole('button', { name: 'Resolve' }).click();
      // A resolved alert leaves the active list and shows among the resolved.
      await feed.locator(`[data-alert="${alertId}"]`).waitFor({ state: 'detached' });
      await page.getByRole('checkbox', { name: 'Show resolved alerts' }).check();
      await feed.locator(`[data-alert="${alertId}"][data-state="resolved"]`).waitFor();
      await assertAccessible(page, 'staff loss prevention with resolved alerts');

      const person = { role: 'staff', subject: `person:${session.personId}` };
      const states = (await story.audited(A2, 'alert-state')).filter(
        (e) => e.detail['alert_id'] === alertId,
      );
      assert.deepEqual(
        states.map((e) => [e.detail['state'], e.actor]),
        [
          ['acknowledged', person],
          ['resolved', person],
        ],
      );
      const flags = await story.audited(A2, 'staff-override');
      assert.deepEqual(
        flags.map((e) => [e.detail['reason'], e.actor]),
        [
          ['cleaning', person],
          ['cleared', person],
        ],
      );
      const overrides = await story.audited(A1, 'staff-override');
      assert.deepEqual(
        overrides.map((e) => [e.detail['command'], e.actor]),
        [
          ['pause-session', person],
          ['restart-session', person],
        ],
      );
    });

    await t.test(
      '6. shows staff of store A nothing of store B, in the page or the API',
      async () => {
        const bAlerts = await eventually(async () => {
          const listed = (await opsGet(`/v1/stores/${STORE_B}/loss-prevention`))[
            'alerts'
          ] as Json[];
          return listed.length > 0 ? listed : undefined;
        }, "store B's alert");
        const bSession = cartOf(B1).sessionId;
        assert.ok(bSession);
        await showsNothingOfB(page, 'the loss-prevention feed');

        // A view of B's cart by URL: a refusal, not data.
        await page.goto(`${session.origin}/staff#cart/${B1}`);
        await page.getByText(`${B1} is not one of this store's carts`).waitFor();
        assert.equal(await page.getByTestId('live-session').count(), 0);
        assert.equal(await page.getByRole('region', { name: 'Maintenance' }).count(), 0);
        await assertAccessible(page, 'staff refusal of a store B cart');

        const b = `/v1/stores/${STORE_B}`;
        for (const path of [
          `${b}/carts`,
          `${b}/fleet-status`,
          `${b}/sessions`,
          `/v1/sessions/${bSession}`,
          `/v1/sessions/${bSession}/scans`,
          `${b}/loss-prevention`,
          `/v1/stream?store=${STORE_B}`,
        ]) {
          const refused = await session.get(path);
          assert.equal(refused.status, 403, `GET ${path}: ${JSON.stringify(refused.body)}`);
        }
        const proof = cartOf(B1).showProximityCode();
        for (const [method, path, body] of [
          ['PUT', `${b}/carts/${B1}/maintenance`, { reason: 'repair' }],
          ['POST', `${b}/loss-prevention/${String(bAlerts[0]!['id'])}/acknowledge`, {}],
          [
            'POST',
            `${b}/carts/${B1}/session-actions`,
            { action: 'pause', session_id: bSession, proof },
          ],
        ] as const) {
          const refused = await session.send(method, path, body);
          assert.equal(refused.status, 403, `${method} ${path}: ${JSON.stringify(refused.body)}`);
        }
        assert.deepEqual(carts[B1]!.commands, []);

        // The session's stream carried store A's story and nothing of store B.
        assert.ok(stream.events.some((e) => e.event === 'scan' && e.data['deviceId'] === A1));
        assert.ok(stream.events.some((e) => e.event === 'alert'));
        const leaked = stream.events.filter((e) =>
          [STORE_B, B1].some((b) => JSON.stringify(e.data).includes(b)),
        );
        assert.deepEqual(leaked, []);
      },
    );

    await t.test('7. signs out: the sign-in page, and the old session opens nothing', async () => {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/signin/);
      await page.getByRole('button', { name: 'Sign in with a passkey' }).waitFor();
      await assertAccessible(page, 'sign-in after sign-out');
      const gone = await fetch(`${session.origin}/v1/stores/${STORE_A}/carts`, {
        headers: { cookie: session.cookie },
      });
      assert.equal(gone.status, 401);
      // The stream the session opened outside the page ends with it.
      assert.ok(await settlesWithin(stream.ended, 2000), "the signed-out session's stream ended");
    });
  });
});
