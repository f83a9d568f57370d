import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
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
import { startOpsFleet, type FleetCartSpec } from '../../test-support/ops-fleet.js';
import { eventually, STORE } from '../../test-support/platform.js';

const CARTS: FleetCartSpec[] = [
  { id: 'CART-I01', store: STORE, batteryPct: 80 },
  { id: 'CART-I02', store: STORE, batteryPct: 60 },
];

/** A receiver that refuses (422) boot messages while `refusing.on`, and takes everything else. */
async function bootRefusingReceiver(t: TestContext) {
  const refusing = { on: true };
  const taken: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        id: string;
        type: string;
      };
      if (refusing.on && event.type === 'boot')
        return response.writeHead(422).end('unknown firmware');
      taken.push(event.id);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/fleet`, refusing, taken };
}

describe('ops console in a browser: integrations', () => {
  it('shows how each integration stands and redelivers or discards what one parked', async (t) => {
    const browser = await launchChromium(t);
    if (!browser) return;
    t.after(() => browser.close());
    const receiver = await bootRefusingReceiver(t);
    const fleet = await startOpsFleet(t, CARTS, { config: { integrationRetryBaseMs: 20 } });
    const put = await apiRequest(fleet.platform, 'PUT', '/v1/integrations', {
      body: {
        integrations: [
          {
            id: 'erp',
            match: { deviceClass: ['cart'], type: ['boot', 'health'] },
            sink: { kind: 'webhook', url: receiver.url },
            enabled: true,
            onRefused: 'dead-letter',
          },
        ],
      },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const page = await (await freshContext(browser, DESKTOP)).newPage();
    await enrolThroughLink(page, await signInLink(fleet.data, { role: 'ops', name: 'Omar Ops' }));
    await see(page.locator('[data-testid=live-state][data-state=open]'), 'signed in', SETTLE_MS);

    await openTab(page, 'Integrations');
    const row = page.getByTestId('integrations').locator('tbody tr', { hasText: 'erp' });
    await see(row, 'the integration listed', 5000);
    await see(row.getByText('Delivering'), 'its state');
    await see(row.getByText(receiver.url), 'where it sends');

    // A reboot's boot message is refused three times and parked; the page shows it.
    const parkedBoot = async (cart: string) => {
      await fleet.carts.get(cart)!.reboot();
      const { body } = await eventually(
        async () => {
          const r = await apiRequest(fleet.platform, 'GET', '/v1/integrations/erp/dead-letters');
          const letters = r.body['deadLetters'] as { deliveryId: string }[];
          return letters.some((l) => l.deliveryId.startsWith(`${cart}:`)) ? r : undefined;
        },
        `${cart}'s boot parked`,
        20_000,
      );
      return (body['deadLetters'] as { deliveryId: string }[]).find((l) =>
        l.deliveryId.startsWith(`${cart}:`),
      )!.deliveryId;
    };
    const first = await parkedBoot('CART-I01');
    const parked = page.getByTestId('parked-erp').locator('tbody tr');
    await see(parked.filter({ hasText: first }), 'the parked boot in the page', 10_000);
    await see(parked.getByText('HTTP 422'), 'the receiver’s answer');
    const total = (await apiRequest(fleet.platform, 'GET', '/v1/integrations/erp/dead-letters'))
      .body['total'] as number;
    await seeText(
      row.locator('td').nth(4),
      new RegExp(`^${total}$`),
      'the parked count, in the list',
    );
    await screenshot(page, 'ops-integrations');
    await assertAccessible(page, 'the integrations view with a parked event');
    // Wide tables: on a tablet and a phone they scroll inside their own frame.
    for (const [width, size] of [
      ['tablet', TABLET],
      ['phone', PHONE],
    ] as const) {
      await page.setViewportSize(size);
      await assertAccessible(page, `the integrations view on a ${width}`);
      await screenshot(page, `ops-integrations-${width}`);
    }
    await page.setViewportSize(DESKTOP);

    // The receiver is fixed: Redeliver sends it, and it leaves the page.
    receiver.refusing.on = false;
    await page.getByRole('button', { name: `Redeliver ${first}` }).click();
    await see(page.getByText(`Delivered ${first}.`), 'the redelivery said');
    assert.ok(receiver.taken.includes(first), 'the receiver has it');
    await eventually(
      async () => ((await parked.filter({ hasText: first }).count()) === 0 ? true : undefined),
      'the redelivered event off the page',
    );

    // Another one, discarded: the first click asks, the second does it.
    receiver.refusing.on = true;
    const second = await parkedBoot('CART-I02');
    await see(parked.filter({ hasText: second }), 'the second parked boot', 10_000);
    // Leave it the only one parked (the carts' first boots may be there too), so discarding it
    // empties the list: the panel goes, and what the discard did must still be said.
    const others = await apiRequest(fleet.platform, 'GET', '/v1/integrations/erp/dead-letters');
    for (const other of others.body['deadLetters'] as { seq: number; deliveryId: string }[]) {
      if (other.deliveryId === second) continue;
      const gone = await apiRequest(
        fleet.platform,
        'DELETE',
        `/v1/integrations/erp/dead-letters/${other.seq}`,
      );
      assert.equal(gone.status, 204, JSON.stringify(gone.body));
    }
    await page.getByRole('button', { name: `Discard ${second}` }).click();
    await page.getByRole('button', { name: `Confirm discarding ${second}` }).click();
    await eventually(
      async () => ((await page.getByTestId('parked-erp').count()) === 0 ? true : undefined),
      'the empty parked list gone from the page',
    );
    await see(page.getByText(`Discarded ${second}.`), 'the discard said, with its panel gone');
    const left = await apiRequest(fleet.platform, 'GET', '/v1/integrations/erp/dead-letters');
    const ids = (left.body['deadLetters'] as { deliveryId: string }[]).map((l) => l.deliveryId);
    assert.ok(!ids.includes(first) && !ids.includes(second), `still parked: ${ids.join(', ')}`);
    assert.ok(!receiver.taken.includes(second), 'a discarded event is never sent');
  });
});
