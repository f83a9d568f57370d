import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiRequest, apiToken, platformFetch } from '../../test-support/api-client.js';
import { fleetDataDir, runCli, startTestPlatform } from '../../test-support/platform.js';
import { storedEvent as stored } from '../../test-support/stored-events.js';
import type { TelemetryRecord } from '../telemetry/telemetry-store.js';

const DAY = 86_400_000;
const OCTOBER = Date.parse('2026-10-01T00:00:00.000Z');

// GET /v1/billing on a real platform, with telemetry appended directly for a known month.
describe('HTTP API: billing', () => {
  it('meters a month per store: cart-months from active days, messages, bytes, invoice and cost', async (t) => {
    const data = await fleetDataDir(t);
    await runCli(
      'store',
      'add',
      '--data',
      data,
      '--id',
      'nyc-1',
      '--name',
      'NYC 1',
      '--region',
      'us',
    );
    const platform = await startTestPlatform(
      t,
      data,
      {},
      {
        api: {
          billing: { pricePerCartMonthCents: 3100, currency: 'EUR' },
          dsarOpen: () => Promise.resolve([{ request: 'r-1' }]),
        },
      },
    );
    // October has 31 days: CART-A sends on all of them, CART-B on 10 (twice a day), CART-C on 31
    // in nyc-1; one message in November and one in September are outside the month.
    const records: TelemetryRecord[] = [];
    let counter = 0;
    for (let d = 0; d < 31; d++) {
      records.push(stored('CART-A', 'berlin-1', ++counter, OCTOBER + d * DAY + 3_600_000));
      records.push(stored('CART-C', 'nyc-1', ++counter, OCTOBER + d * DAY + 7_200_000));
    }
    for (let d = 0; d < 10; d++) {
      records.push(stored('CART-B', 'berlin-1', ++counter, OCTOBER + d * DAY + 1000));
      records.push(stored('CART-B', 'berlin-1', ++counter, OCTOBER + d * DAY + 2000));
    }
    records.push(stored('CART-B', 'berlin-1', ++counter, OCTOBER + 31 * DAY));
    records.push(stored('CART-B', 'berlin-1', ++counter, OCTOBER - 1));
    await platform.telemetry.append(records);
    const berlinBytes = records
      .filter(
        (r) =>
          r.storeId === 'berlin-1' && r.deviceTime >= OCTOBER && r.deviceTime < OCTOBER + 31 * DAY,
      )
      .reduce((n, r) => n + Buffer.byteLength(r.body) + 64, 0);

    const ops = await apiToken(platform, 'ops');
    const bill = await apiRequest(platform, 'GET', '/v1/billing?month=2026-10', { token: ops });
    assert.equal(bill.status, 200, JSON.stringify(bill.body));
    assert.equal(bill.body['days'], 31);
    assert.deepEqual(bill.body['configured'], {
      pricePerCartMonthCents: 3100,
      currency: 'EUR',
      perMillionMessagesCents: 100,
      perGbMonthCents: 10,
    });
    const stores = bill.body['stores'] as {
      storeId: string;
      measured: Record<string, number>;
      invoice: { totalCents: number; currency: string };
      cloudCost: Record<string, number>;
    }[];
    const berlin = stores.find((s) => s.storeId === 'berlin-1')!;
    assert.deepEqual(berlin.measured, {
      carts: 2,
      cartDays: 41,
      cartMonths: 1.323,
      messages: 51,
      storedBytes: berlinBytes,
    });
    assert.equal(berlin.invoice.totalCents, Math.round(1.323 * 3100));
    assert.equal(berlin.invoice.currency, 'EUR');
    assert.equal(berlin.cloudCost['messagesCents'], 0.01);
    const nyc = stores.find((s) => s.storeId === 'nyc-1')!;
    assert.equal(nyc.measured['cartMonths'], 1);
    assert.equal(nyc.invoice.totalCents, 3100);
    assert.equal((bill.body['totals'] as Record<string, number>)['cartMonths'], 2.323);

    for (const month of ['2026-13', '2026-1', 'october']) {
      const bad = await apiRequest(platform, 'GET', `/v1/billing?month=${month}`, { token: ops });
      assert.equal(bad.status, 400, month);
    }
    assert.equal((await apiRequest(platform, 'GET', '/v1/billing', { token: ops })).status, 400);
    const staff = await apiToken(platform, 'staff', 'berlin-1');
    assert.equal(
      (await apiRequest(platform, 'GET', '/v1/billing?month=2026-10', { token: staff })).status,
      403,
    );

    const report = await apiRequest(platform, 'GET', '/v1/compliance', { token: ops });
    assert.deepEqual(report.body['dataSubjectRequests'], {
      source: 'provider',
      open: [{ request: 'r-1' }],
    });
    assert.equal((report.body['auditChain'] as Record<string, unknown>)['configured'], true);

    const openapi = (await (
      await platformFetch(platform)(`${platform.apiUrl}/openapi.json`)
    ).json()) as {
      paths: Record<string, unknown>;
    };
    for (const p of ['/v1/carts', '/v1/carts/{device}/audit', '/v1/billing', '/v1/compliance']) {
      assert.ok(openapi.paths[p], `${p} documented`);
    }
  });
});
