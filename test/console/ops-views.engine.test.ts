import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiRequest } from '../../test-support/api-client.js';
import {
  DESKTOP,
  PHONE,
  TABLET,
  enrolThroughLink,
  freshContext,
  launchChromium,
  screenshot,
} from '../../test-support/browser.js';
import { signInLink } from '../../test-support/console-platform.js';
import {
  assertAccessible,
  openTab,
  see,
  seeText,
  SETTLE_MS,
} from '../../test-support/ops-console.js';
import { AUSTIN, startOpsFleet, type FleetCartSpec } from '../../test-support/ops-fleet.js';
import { eventually, STORE } from '../../test-support/platform.js';

const CARTS: FleetCartSpec[] = [
  { id: 'CART-B01', store: STORE, batteryPct: 88 },
  { id: 'CART-B02', store: STORE, batteryPct: 45 },
  { id: 'CART-A01', store: AUSTIN, batteryPct: 30 },
];

describe('ops console in a browser: dead letters, metrics, a device, billing, compliance, the API reference', () => {
  it('replays a dead letter from the page and visits every other ops view accessibly', async (t) => {
    const began = Date.now();
    const mark = (what: string) => t.diagnostic(`${what} at ${Date.now() - began} ms`);
    const browser = await launchChromium(t);
    if (!browser) return;
    t.after(() => browser.close());
    const fleet = await startOpsFleet(t, CARTS, {});
    const page = await (await freshContext(browser, DESKTOP)).newPage();
    mark('fleet up');
    const link = await signInLink(fleet.data, { role: 'ops', name: 'Omar Ops' });
    await enrolThroughLink(page, link);
    await see(
      page.locator('[data-testid=live-state][data-state=open]'),
      'the live stream open',
      SETTLE_MS,
    );
    mark('signed in');

    // Dead letters: the entity store refuses CART-B02's boot after its reboot; the event is
    // parked, shows up in the open page, and the replay re-applies it once the store takes it.
    await openTab(page, 'Dead letters');
    await see(page.getByTestId('dlq-empty'), 'no dead letters yet', 5000);
    const replay = page.getByRole('button', { name: 'Replay all dead letters' });
    assert.equal(await replay.isDisabled(), true, 'nothing to replay');
    await assertAccessible(page, 'the empty dead letters view');
    fleet.poison.deviceId = 'CART-B02';
    await fleet.carts.get('CART-B02')!.reboot();
    const parked = await eventually(
      async () => {
        const { body } = await apiRequest(fleet.platform, 'GET', '/v1/dead-letters');
        return body['total'] === 1 ? body : undefined;
      },
      "CART-B02's boot parked as a dead letter",
      20_000,
    );
    const [letter] = parked['deadLetters'] as { deviceId: string; type: string; counter: number }[];
    assert.equal(letter?.deviceId, 'CART-B02');
    assert.equal(letter?.type, 'boot');
    const row = page.getByTestId('dead-letters').locator('tbody tr');
    await see(row.filter({ hasText: `boot #${letter.counter}` }), 'the dead letter in the page');
    await seeText(row.locator('td').first(), /^CART-B02$/, 'its device');
    await see(row.getByText(/does not fit the devices table/), 'why it was refused');
    await screenshot(page, 'ops-dead-letters');
    await assertAccessible(page, 'the dead letters view');
    fleet.poison.deviceId = undefined;
    await replay.click();
    await see(page.getByTestId('dlq-empty'), 'the dead letter gone after the replay');
    await see(page.getByText(/Replay done\..*"replayed": 1/s), 'the replay counted');
    const after = await apiRequest(fleet.platform, 'GET', '/v1/dead-letters');
    assert.equal(after.body['total'], 0);
    mark('dead letter replayed');

    // Metrics: the platform samples once a second here, so the last hour has points.
    await eventually(
      async () => {
        const { body } = await apiRequest(fleet.platform, 'GET', '/v1/metrics/history?window=1h');
        const points = body['points'] as { connectedDevices: number }[];
        return points.length >= 3 && points.at(-1)?.connectedDevices === 3 ? true : undefined;
      },
      'three samples, the last with three carts connected',
      20_000,
    );
    await openTab(page, 'Metrics');
    assert.equal(
      await page.getByRole('button', { name: 'Last hour' }).getAttribute('aria-pressed'),
      'true',
    );
    const chart = (title: string) =>
      page.getByRole('figure').filter({ has: page.getByRole('heading', { name: title }) });
    await see(chart('Connected devices').getByText('Connected: 3 devices'), 'three connected');
    for (const title of ['Messages per minute', 'Publish to stored', 'Rejects by reason']) {
      await see(chart(title).locator('canvas'), `the ${title} chart drawn`);
    }
    assert.equal(await page.getByText('No samples yet.').count(), 0);
    const messages = chart('Messages per minute');
    await see(messages.getByText(/^Messages: \d+(\.\d)? msg\/min$/), 'the latest message rate');
    const rates = (await messages.locator('tbody td.num').allTextContents()).map(Number);
    assert.ok(
      rates.some((n) => n > 0),
      `the carts' messages counted in a sample: ${rates.join(', ')}`,
    );
    await screenshot(page, 'ops-metrics');
    await assertAccessible(page, 'the metrics view');
    mark('metrics seen');

    // A device: its shadow and commands, from the fleet list's link.
    await openTab(page, 'Fleet');
    await page.getByTestId('fleet-carts').getByRole('link', { name: 'CART-B01' }).click();
    await see(page.getByRole('heading', { name: 'Device CART-B01' }), 'the device view');
    await page.getByRole('button', { name: 'Send command' }).click();
    const ping = page.locator('tr', { hasText: 'ping' });
    await see(ping.getByText('succeeded'), 'the cart answered the ping', 10_000);
    await page.getByText('Change desired state', { exact: true }).first().click();
    await page.getByLabel('Keys to change').fill('{"health_interval_s": 30}');
    const desiredForm = page.locator('form', { has: page.getByLabel('Keys to change') });
    await desiredForm.getByRole('button', { name: 'Change desired state' }).click();
    await see(page.getByText('Desired state changed.'), 'the change saved');
    await eventually(async () => {
      const { body } = await apiRequest(fleet.platform, 'GET', '/v1/devices/CART-B01/shadow');
      const reported = body['reported'] as Record<string, unknown>;
      return body['inSync'] === true && reported['health_interval_s'] === 30 ? true : undefined;
    }, 'the cart applied and reported the change');
    const shadow = page.locator('section', { has: page.getByRole('heading', { name: 'Shadow' }) });
    await see(shadow.getByText('in sync', { exact: true }), 'the shadow in sync, live');
    await see(shadow.getByText(/"health_interval_s": 30/).nth(1), 'reported as desired');
    await screenshot(page, 'ops-device');
    await assertAccessible(page, 'the device view');

    // The cart's audit trail, opened again after those changes.
    await openTab(page, 'Fleet');
    await page.getByTestId('fleet-carts').getByRole('link', { name: 'CART-B01' }).click();
    const trail = page.getByTestId('audit-trail');
    await see(trail, 'the audit trail', 5000);
    await see(
      trail.locator('tr', { hasText: 'Command response' }).filter({ hasText: 'Succeeded' }),
      "the cart's answer to the ping",
    );
    await see(
      trail.locator('tr', { hasText: 'Audit' }).filter({ hasText: /ops:person:/ }),
      'what the person did, with their identity',
    );
    await trail.scrollIntoViewIfNeeded();
    await screenshot(page, 'ops-audit', { fullPage: false });
    await assertAccessible(page, 'the audit trail');
    mark('device seen');

    // Billing and compliance.
    await openTab(page, 'Billing');
    const bill = page.getByRole('region', { name: 'Billing by store' });
    await seeText(bill.locator('tr', { hasText: STORE }).locator('td').first(), /^2$/, 'berlin');
    await seeText(bill.locator('tr', { hasText: AUSTIN }).locator('td').first(), /^1$/, 'austin');
    // The cost model under it (decision 061): 5,000 carts by default, the seed beside.
    const aws = page.getByRole('region', { name: 'Cost model: AWS' });
    await seeText(
      aws.locator('tr', { hasText: 'Total' }).locator('td').last(),
      /^\$0\.\d{4}$/,
      'AWS total',
      // A fetch of its own after the bill's: a loaded machine took more than the live 2 s.
      10_000,
    );
    await see(page.getByText('$0.3900'), "the seed's $0.39 beside");
    await screenshot(page, 'ops-billing');
    await assertAccessible(page, 'the billing view');
    // The cost tables are wide: on a tablet and a phone they scroll inside their own frame.
    for (const [width, size] of [
      ['tablet', TABLET],
      ['phone', PHONE],
    ] as const) {
      await page.setViewportSize(size);
      await assertAccessible(page, `the billing view on a ${width}`);
      await screenshot(page, `ops-billing-${width}`);
    }
    // On a phone the bill by store fits without its own sideways scroll (the measures give way).
    const frame = await bill.boundingBox();
    const table = await bill.locator('table').boundingBox();
    assert.ok(
      frame && table && table.width <= frame.width + 1,
      `the bill by store on a phone: ${table?.width} px of table in a ${frame?.width} px frame`,
    );
    await page.setViewportSize(DESKTOP);
    await openTab(page, 'Compliance');
    await see(page.getByText('Chain verified'), 'the audit chain verified', 5000);
    await see(page.getByRole('heading', { name: 'Open data-subject requests' }), 'DSARs');
    await see(page.getByRole('heading', { name: 'Data residency' }), 'residency');
    // Retention (decision 063): the policy per tier, and on request what is due now.
    const policy = page.getByTestId('retention-policy');
    await see(policy.getByText('audit records'), 'the retention policy', 5000);
    await seeText(
      policy.locator('tr', { hasText: 'telemetry events' }).locator('td').first(),
      /^18 months from /,
      'telemetry kept 18 months',
    );
    await page.getByRole('button', { name: 'Show what is due now' }).click();
    await see(page.getByText(/Dry run at .*: nothing was changed\./), 'the plan shown');
    await seeText(
      policy.locator('tr', { hasText: 'telemetry events' }).locator('td').last(),
      /^0$/,
      'nothing of this fresh fleet due',
    );
    await screenshot(page, 'ops-compliance');
    await assertAccessible(page, 'the compliance view');
    for (const [width, size] of [
      ['tablet', TABLET],
      ['phone', PHONE],
    ] as const) {
      await page.setViewportSize(size);
      await assertAccessible(page, `the compliance view on a ${width}`);
      await screenshot(page, `ops-compliance-${width}`);
    }
    await page.setViewportSize(DESKTOP);
    mark('billing and compliance seen');

    // The API reference, and its search.
    await page.goto(new URL('/docs', page.url()).href);
    const operations = page.locator('details.op');
    await see(operations, 'the operations listed', 5000);
    const all = await operations.count();
    await page.getByRole('searchbox', { name: 'Search the API' }).fill('rollout');
    await seeText(page.getByText(/operations? match/), /match “rollout”/, 'the search applied');
    const found = await operations.allTextContents();
    assert.ok(found.length > 0 && found.length < all, `${found.length} of ${all} operations`);
    for (const text of found) assert.match(text, /rollout/i);
    await page.getByRole('searchbox', { name: 'Search the API' }).fill('');
    await page.getByRole('searchbox', { name: 'Search the API' }).blur();
    await screenshot(page, 'docs-api', { fullPage: false });
    await assertAccessible(page, 'the API reference');
    mark('docs seen');
  });
});
