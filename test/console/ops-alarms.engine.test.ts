import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { topics } from '../../src/contract/index.js';
import { apiRequest } from '../../test-support/api-client.js';
import { message } from '../../test-support/messages.js';
import {
  DESKTOP,
  enrolThroughLink,
  freshContext,
  launchChromium,
  PHONE,
  screenshot,
} from '../../test-support/browser.js';
import { signInLink } from '../../test-support/console-platform.js';
import {
  assertAccessible,
  figure,
  LIVE_MS,
  openTab,
  see,
  seeText,
  SETTLE_MS,
} from '../../test-support/ops-console.js';
import { startOpsFleet, type FleetCartSpec } from '../../test-support/ops-fleet.js';
import { connectDevice, eventually, provisionDevice, STORE } from '../../test-support/platform.js';

// CART-L01 boots with 12 % battery: its first health report fires the default cart rule
// (battery under 15 %). CART-N01 is provisioned and never connects; CART-R01 connects and sends a
// message ingest refuses (no signature).
const CARTS: FleetCartSpec[] = [
  { id: 'CART-G01', store: STORE, batteryPct: 80 },
  { id: 'CART-L01', store: STORE, batteryPct: 12 },
];

interface AlarmBody {
  id: string;
  ruleId: string;
  state: string;
  deviceId: string;
  acknowledgedBy: string | null;
}

describe('ops console in a browser: alarms, fleet diff, top error devices', () => {
  it('acknowledges a fired alarm from the page, shows a never-seen device and a rejecting one', async (t) => {
    const began = Date.now();
    const mark = (what: string) => t.diagnostic(`${what} at ${Date.now() - began} ms`);
    const browser = await launchChromium(t);
    if (!browser) return;
    t.after(() => browser.close());
    const fleet = await startOpsFleet(t, CARTS, {});
    await provisionDevice(fleet.data, 'CART-N01', 'cart', STORE);
    const rejecting = await connectDevice(
      t,
      fleet.platform.mqttUrl,
      await provisionDevice(fleet.data, 'CART-R01', 'cart', STORE),
    );
    await rejecting.sendRaw(
      topics.telemetry('cart', 'CART-R01', 'health'),
      Buffer.from('unsigned'),
    );
    mark('fleet up');

    const fired = await eventually(
      async () => {
        const { body } = await apiRequest(fleet.platform, 'GET', '/v1/alarms?state=firing');
        return (body['alarms'] as AlarmBody[]).find((a) => a.deviceId === 'CART-L01');
      },
      "CART-L01's battery alarm",
      20_000,
    );
    assert.equal(fired.ruleId, 'battery-low');

    const page = await (await freshContext(browser, DESKTOP)).newPage();
    await enrolThroughLink(page, await signInLink(fleet.data, { role: 'ops', name: 'Olga Ops' }));
    await see(
      page.locator('[data-testid=live-state][data-state=open]'),
      'the live stream open',
      SETTLE_MS,
    );
    mark('signed in');

    // Alarms: the firing one, with its reading; acknowledged from the page.
    await openTab(page, 'Alarms');
    const row = page.locator(`[data-testid=alarms] tr[data-alarm="${fired.id}"]`);
    await see(row, 'the firing alarm listed', 5000);
    assert.equal(await row.getAttribute('data-state'), 'firing');
    await see(row.getByRole('link', { name: 'CART-L01' }), 'its device, linked');
    await see(row.getByRole('link', { name: 'battery-low' }), 'its rule, linked to the detail');
    await seeText(row.getByTestId('reading'), /^battery_pct 12$/, 'the reading that fired it');
    await see(row.getByText('warning', { exact: true }), 'its severity');
    await screenshot(page, 'ops-alarms');
    await assertAccessible(page, 'the alarms view');
    await row.getByRole('button', { name: 'Acknowledge' }).click();
    await see(
      page.getByRole('status').filter({ hasText: /Alarm battery-low on CART-L01 acknowledged by/ }),
      'the acknowledgement confirmed',
    );
    await see(
      page.locator(`[data-testid=alarms] tr[data-alarm="${fired.id}"][data-state=acknowledged]`),
      'the row acknowledged',
    );
    assert.equal(await row.getByRole('button', { name: 'Acknowledge' }).count(), 0);
    const after = await apiRequest(fleet.platform, 'GET', `/v1/alarms/${fired.id}`);
    const alarm = after.body['alarm'] as AlarmBody;
    assert.equal(alarm.state, 'acknowledged');
    assert.match(String(alarm.acknowledgedBy), /Olga Ops|ops:person:/);
    await page.locator('#alarm-state').selectOption('firing');
    await see(page.getByTestId('alarms-empty'), 'no firing alarms left', 5000);
    await page.locator('#alarm-state').selectOption('open');
    await see(row, 'the acknowledged alarm among the open ones', 5000);
    mark('alarm acknowledged');

    // Its detail and history.
    await row.getByRole('link', { name: 'battery-low' }).click();
    await see(page.getByRole('heading', { name: 'Alarm battery-low on CART-L01' }), 'the detail');
    const history = page.getByTestId('alarm-history').locator('tbody tr');
    await seeText(history.nth(0).locator('td').nth(1), /^Fired$/, 'fired first');
    await seeText(history.nth(0).locator('td').nth(3), /^battery_pct 12$/, 'with its reading');
    await seeText(history.nth(1).locator('td').nth(1), /^Acknowledged$/, 'then acknowledged');
    await see(page.getByRole('button', { name: 'Resolve' }), 'still to resolve');
    await assertAccessible(page, 'the alarm detail');
    await page.setViewportSize(PHONE);
    await assertAccessible(page, 'the alarm detail on a phone');
    await page.setViewportSize(DESKTOP);
    await page.getByRole('button', { name: 'Resolve' }).click();
    await see(
      page.getByTestId('alarm-detail').and(page.locator('[data-state=resolved]')),
      'resolved in the page',
    );
    await seeText(history.nth(2).locator('td').nth(1), /^Resolved$/, 'the resolution in history');
    assert.equal(await page.getByRole('button', { name: /Acknowledge|Resolve/ }).count(), 0);
    const closed = await apiRequest(fleet.platform, 'GET', `/v1/alarms/${fired.id}`);
    assert.equal((closed.body['alarm'] as AlarmBody).state, 'resolved');
    mark('alarm detail seen, alarm resolved');

    // A new alarm reaches the open page through the stream (the backstop poll is 30 s away).
    await openTab(page, 'Alarms');
    await see(
      page.getByTestId('alarms').or(page.getByTestId('alarms-empty')),
      'the list read',
      5000,
    );
    await rejecting.send(message('health', 'CART-R01', 1, { battery_pct: 5 }));
    const live = page.locator('[data-testid=alarms] tr[data-state=firing]', {
      has: page.getByRole('link', { name: 'CART-R01' }),
    });
    await see(live, "CART-R01's battery alarm, live", LIVE_MS);
    await seeText(live.getByTestId('reading'), /^battery_pct 5$/, 'its reading');
    mark('a new alarm seen live');

    // Fleet diff of the store: four expected, one never seen.
    await openTab(page, 'Fleet diff');
    await page.locator('#diff-store').selectOption(STORE);
    const stats = page.getByRole('region', { name: `Fleet diff · ${STORE}` });
    await seeText(figure(stats, 'Expected'), /^4$/, 'four devices expected', 5000);
    await seeText(figure(stats, 'Never seen'), /^1$/, 'one never seen');
    await seeText(figure(stats, 'Connected'), /^3$/, 'three connected');
    const never = page.getByTestId('never-seen').locator('tr[data-device="CART-N01"]');
    await see(never, 'CART-N01 listed as never seen');
    await seeText(never.locator('td').nth(3), /^never$/, 'never seen');
    await screenshot(page, 'ops-fleet-diff');
    await assertAccessible(page, 'the fleet diff view');
    await never.getByRole('link', { name: 'CART-N01' }).click();
    await see(page.getByRole('heading', { name: 'Device CART-N01' }), 'the device view from it');
    mark('fleet diff seen');

    // Top error devices: CART-R01's refused message, counted by reason.
    const counted = await eventually(
      async () => {
        const { body } = await apiRequest(fleet.platform, 'GET', '/v1/devices/top-errors?since=1h');
        const devices = body['devices'] as { deviceId: string; rejectsByReason: object }[];
        return devices.find((d) => d.deviceId === 'CART-R01');
      },
      "CART-R01's reject counted",
      10_000,
    );
    const [reason] = Object.keys(counted.rejectsByReason);
    assert.ok(reason, 'a reason for the reject');
    await openTab(page, 'Top error devices');
    await page.getByRole('button', { name: 'Last hour' }).click();
    assert.equal(
      await page.getByRole('button', { name: 'Last hour' }).getAttribute('aria-pressed'),
      'true',
    );
    const noisy = page.getByTestId('top-errors').locator('tr[data-device="CART-R01"]');
    await see(noisy, 'CART-R01 among the top error devices', 5000);
    await seeText(noisy.locator(`td[data-reason="${reason}"]`), /^1$/, `one ${reason} reject`);
    await see(
      page.getByRole('columnheader', { name: `Rejects: ${reason}` }),
      'a column per reason',
    );
    await page.getByRole('button', { name: 'Last week' }).click();
    await see(noisy, 'still there over the week');
    await screenshot(page, 'ops-top-errors');
    await assertAccessible(page, 'the top error devices view');
    mark('top error devices seen');
  });
});
