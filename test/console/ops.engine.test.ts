import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { apiRequest } from '../../test-support/api-client.js';
import {
  DESKTOP,
  enrolThroughLink,
  freshContext,
  launchChromium,
  screenshot,
} from '../../test-support/browser.js';
import { signInLink } from '../../test-support/console-platform.js';
import {
  asPageSession,
  assertAccessible,
  assertionsSigned,
  figure,
  openTab,
  see,
  seeText,
  SETTLE_MS,
} from '../../test-support/ops-console.js';
import {
  AUSTIN,
  AUSTIN_ZONE,
  startOpsFleet,
  windowOpeningIn,
  type FleetCartSpec,
  type OpsFleet,
} from '../../test-support/ops-fleet.js';
import { eventually, STORE } from '../../test-support/platform.js';

const MINUTE = 60_000;

// Five carts of the real model; every one fails its self-test on 2.6.0, a bad build.
const CARTS: FleetCartSpec[] = [
  { id: 'CART-B01', store: STORE, batteryPct: 92, crashesOn: '2.6.0' },
  { id: 'CART-B02', store: STORE, batteryPct: 15, crashesOn: '2.6.0' },
  { id: 'CART-B03', store: STORE, batteryPct: 64, crashesOn: '2.6.0' },
  { id: 'CART-A01', store: AUSTIN, batteryPct: 8, crashesOn: '2.6.0' },
  { id: 'CART-A02', store: AUSTIN, batteryPct: 71, crashesOn: '2.6.0' },
];

interface RolloutTotals {
  readonly devices: number;
  readonly pending: number;
  readonly sent: number;
  readonly onNewVersion: number;
  readonly rolledBack: number;
}

/** The rollout as the platform has it, once `ready` holds (polled through the ops API). */
async function rolloutWhen(
  fleet: OpsFleet,
  rolloutId: string,
  ready: (state: string, totals: RolloutTotals) => boolean,
  what: string,
): Promise<void> {
  await eventually(
    async () => {
      const { body } = await apiRequest(fleet.platform, 'GET', `/v1/ota/rollouts/${rolloutId}`);
      return ready(String(body['state']), body['totals'] as RolloutTotals) ? true : undefined;
    },
    what,
    30_000,
  );
}

/** A figure of the fleet summary: the row `row` of the panel titled `panel`. */
function summaryCell(page: Page, panel: string, row: string): Locator {
  return page
    .locator('.panel', { has: page.getByRole('heading', { name: panel, exact: true }) })
    .locator('tr', { has: page.getByRole('rowheader', { name: row, exact: true }) })
    .locator('td');
}

/** Uploads the build's manifest and image with the page's form and starts the rollout. */
async function startRollout(page: Page, fleet: OpsFleet, version: string): Promise<string> {
  const build = fleet.firmware.get(version)!;
  const form = page.getByTestId('new-rollout');
  if (!(await form.isVisible())) await page.getByText('Start a rollout').click();
  await form.getByLabel('Signed manifest (.json)').setInputFiles(build.manifest);
  await see(form.getByText(`firmware ${version}`), 'the manifest read in the page');
  await form.getByLabel('Firmware image').setInputFiles(build.image);
  // The button is enabled once the page has hashed the image and it matches the manifest.
  await form.getByRole('button', { name: 'Upload and start rollout' }).click();
  await see(form.getByText(`Rollout of ${version} started.`), 'the rollout started', 10_000);
  const item = page.locator('[data-rollout]', { hasText: `cart firmware ${version}` });
  await see(item, `the ${version} rollout listed`);
  return (await item.getAttribute('data-rollout'))!;
}

describe('ops console in a browser: sign-in, the fleet, rollouts with step-up', () => {
  it('signs in with a passkey, filters the fleet, runs a rollout live, releases and aborts with a fresh assertion', async (t) => {
    const began = Date.now();
    const mark = (what: string) => t.diagnostic(`${what} at ${Date.now() - began} ms`);
    const browser = await launchChromium(t);
    if (!browser) return;
    t.after(() => browser.close());
    const fleet = await startOpsFleet(t, CARTS, { versions: ['2.5.0', '2.6.0'] });
    const page = await (await freshContext(browser, DESKTOP)).newPage();
    mark('fleet up');

    // 1. The one-time link from `fleetplane login-link`, a passkey on the virtual authenticator.
    const link = await signInLink(fleet.data, { role: 'ops', name: 'Olga Ops', subject: 'olga' });
    const authenticator = await enrolThroughLink(page, link);
    assert.match(page.url(), /\/ops(#|$)/);
    mark('signed in');
    await see(
      page.locator('[data-testid=live-state][data-state=open]'),
      'the live stream open',
      SETTLE_MS,
    );
    const summary = page.locator('section', {
      has: page.getByRole('heading', { name: 'Fleet', exact: true }),
    });
    await seeText(figure(summary, 'Carts'), /^5$/, 'five carts in the fleet');
    await seeText(figure(summary, 'Connected'), /^5$/, 'five connected');
    await seeText(summaryCell(page, 'By state', 'idle'), /^5$/, 'five idle carts');
    await seeText(summaryCell(page, 'By battery health', 'good'), /^3$/, 'three good batteries');
    await seeText(summaryCell(page, 'By battery health', 'low'), /^1$/, 'one low battery');
    await seeText(summaryCell(page, 'By battery health', 'critical'), /^1$/, 'one critical');
    const firmware = page.locator('.panel', {
      has: page.getByRole('heading', { name: 'By firmware', exact: true }),
    });
    await see(
      firmware.locator('tr', { hasText: '2.4.1' }).getByRole('cell', { name: '5' }),
      'five carts on 2.4.1',
    );
    const carts = page.getByTestId('fleet-carts');
    await seeText(page.getByText(/carts? shown/), /^5 carts shown$/, 'every cart listed');
    await screenshot(page, 'ops-fleet');
    await assertAccessible(page, 'the fleet view');

    await page.getByLabel('Region', { exact: true }).selectOption('us');
    await page.getByRole('button', { name: 'Show carts' }).click();
    await seeText(page.getByText(/carts? shown/), /^2 carts shown$/, 'two carts in region us');
    assert.deepEqual(await carts.locator('tbody tr td:first-child').allTextContents(), [
      'CART-A01',
      'CART-A02',
    ]);
    await page.getByLabel('Region', { exact: true }).selectOption('');
    await page.getByLabel('Store', { exact: true }).selectOption(STORE);
    await page.getByRole('button', { name: 'Show carts' }).click();
    await seeText(page.getByText(/carts? shown/), /^3 carts shown$/, 'three carts in berlin-1');
    assert.deepEqual(await carts.locator('tbody tr td:nth-child(2)').allTextContents(), [
      STORE,
      STORE,
      STORE,
    ]);

    mark('fleet seen');
    // 2. Austin's maintenance window opens in two to three minutes (its local time): Berlin's
    // carts update at once, Austin's wait for the window.
    const window = windowOpeningIn(fleet.clock.now(), 2 * MINUTE, AUSTIN_ZONE);
    const windows = await apiRequest(
      fleet.platform,
      'PUT',
      `/v1/stores/${AUSTIN}/maintenance-windows`,
      { body: { windows: [window] } },
    );
    assert.equal(windows.status, 200, JSON.stringify(windows.body));
    await openTab(page, 'Rollouts');
    const good = await startRollout(page, fleet, '2.5.0');
    const goodItem = page.locator(`[data-rollout="${good}"]`);
    await rolloutWhen(
      fleet,
      good,
      (_, n) => n.onNewVersion === 3 && n.pending === 2,
      "Berlin's three carts on 2.5.0, Austin's two waiting for their window",
    );
    await seeText(goodItem.getByTestId('on-new-version'), /^3 \(60/, 'three on the new version');
    await seeText(figure(goodItem, 'Waiting'), /^2$/, "Austin's two waiting for their window");
    for (const id of ['CART-B01', 'CART-B02', 'CART-B03']) {
      assert.equal(fleet.carts.get(id)!.firmwareVersion, '2.5.0', `${id} booted 2.5.0`);
    }
    assert.equal(fleet.carts.get('CART-A01')!.firmwareVersion, '2.4.1');

    mark('Berlin on 2.5.0');
    fleet.clock.advance(3 * MINUTE);
    await rolloutWhen(fleet, good, (_, n) => n.onNewVersion === 5, 'every cart on 2.5.0');
    await seeText(goodItem.getByTestId('on-new-version'), /^5 \(100/, 'all five on 2.5.0');
    await seeText(figure(goodItem, 'Waiting'), /^0$/, 'none waiting');
    for (const cart of fleet.carts.values()) assert.equal(cart.firmwareVersion, '2.5.0');

    mark('every cart on 2.5.0');
    // A bad build: every cart fails its self-test, the bootloader rolls it back, and the engine
    // halts the rollout on the regression.
    const bad = await startRollout(page, fleet, '2.6.0');
    const badItem = page.locator(`[data-rollout="${bad}"]`);
    await rolloutWhen(
      fleet,
      bad,
      (state, n) => state === 'halted' && n.rolledBack === 5,
      'the 2.6.0 rollout halted with five carts rolled back',
    );
    await seeText(badItem.getByTestId('rolled-back'), /^5 \(100/, 'five rolled back');
    await see(badItem.getByText('Halted', { exact: true }), 'the halted badge');
    await see(badItem.getByText(/Halted: boot rollbacks: \d of \d devices/), 'why it halted');
    for (const cart of fleet.carts.values()) assert.equal(cart.firmwareVersion, '2.5.0');
    mark('2.6.0 halted');
    await screenshot(page, 'ops-rollouts');
    await assertAccessible(page, 'the rollouts view');

    // Release and abort need a fresh assertion: the session alone is refused.
    for (const [id, action] of [
      [bad, 'release'],
      [good, 'abort'],
    ] as const) {
      const refused = await asPageSession(page, 'POST', `/v1/ota/rollouts/${id}/${action}`);
      assert.equal(refused.status, 403, `${action} without a step-up`);
      assert.equal(refused.body['error'], 'fresh-assertion-required');
    }

    // From the page, the same action runs the step-up ceremony and then succeeds.
    const signed = await assertionsSigned(authenticator);
    const stepUp = page.waitForResponse(
      (r) => r.url().endsWith('/v1/auth/step-up/verify') && r.request().method() === 'POST',
    );
    await badItem.getByRole('button', { name: 'Release' }).click();
    assert.equal((await stepUp).status(), 200, 'the step-up verified');
    await see(badItem.getByText('Rollout of 2.6.0 released.'), 'the release confirmed', 5000);
    await see(badItem.getByText('Running', { exact: true }), 'running again');
    assert.equal(await assertionsSigned(authenticator), signed + 1, 'one assertion signed');

    // Five minutes later the assertion is stale again: the abort asks for a new one.
    fleet.clock.advance(6 * MINUTE);
    const secondStepUp = page.waitForResponse(
      (r) => r.url().endsWith('/v1/auth/step-up/verify') && r.request().method() === 'POST',
    );
    await goodItem.getByRole('button', { name: 'Abort' }).click();
    assert.equal((await secondStepUp).status(), 200, 'the second step-up verified');
    await see(goodItem.getByText('Rollout of 2.5.0 aborted.'), 'the abort confirmed', 5000);
    await see(goodItem.getByText('Aborted', { exact: true }), 'the aborted badge');
    assert.equal(await assertionsSigned(authenticator), signed + 2, 'a second assertion signed');
    const { body } = await apiRequest(fleet.platform, 'GET', `/v1/ota/rollouts/${good}`);
    assert.equal(body['state'], 'aborted');
    const history = body['history'] as { action: string; by: string }[];
    assert.match(history.at(-1)!.by, /^ops:person:/, 'the abort recorded with the person');
    await assertAccessible(page, 'the rollouts view after release and abort');
  });
});
