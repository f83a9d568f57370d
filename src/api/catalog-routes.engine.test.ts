import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiRequest, apiToken, platformFetch } from '../../test-support/api-client.js';
import { fleetDataDir, runCli, startTestPlatform } from '../../test-support/platform.js';

// PUT/GET /v1/stores/:id/catalog of a running platform over real HTTP: the POS's CSV or JSON.
describe('HTTP API: store catalog', () => {
  it('imports CSV and JSON, reports bad rows with their line, refuses a malformed file and non-ops callers', async (t) => {
    const data = await fleetDataDir(t);
    await runCli('store', 'add', '--data', data, '--id', 'paris-1', '--name', 'Paris 1');
    const platform = await startTestPlatform(t, data);
    const ops = await apiToken(platform, 'ops');
    const staff = await apiToken(platform, 'staff', 'berlin-1');
    const put = (body: string, contentType: string, token = ops, store = 'berlin-1') =>
      apiRequest(platform, 'PUT', `/v1/stores/${store}/catalog`, { token, body, contentType });
    const count = async (token = ops) => {
      const got = await apiRequest(platform, 'GET', '/v1/stores/berlin-1/catalog', { token });
      assert.equal(got.status, 200);
      return got.body['items'];
    };

    assert.equal(await count(), 0);
    const csv = [
      'sku,barcode,name,price_cents,weight_g,category',
      'SKU-1,4006381333931,"Milk, 1 l",119,1030,dairy',
      'SKU-2,,Bread,249,,bakery',
      'SKU-3,4000000000017,Butter,1.99,250,dairy',
      'SKU-4,4000000000024,Eggs,329,,',
    ].join('\n');
    const first = await put(csv, 'text/csv');
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body['imported'], 3);
    assert.equal(first.body['changed'], 3);
    assert.equal(first.body['unit'], 'line');
    const rejected = first.body['rejected'] as { line: number; reason: string }[];
    assert.equal(rejected.length, 1);
    assert.equal(rejected[0]!.line, 4, 'the bad row, by its line in the file');
    assert.match(rejected[0]!.reason, /price_cents/);
    assert.equal(await count(), 3);
    assert.equal(await count(staff), 3, 'staff of the store may read');

    // The same file again: an upsert that changes nothing.
    const twice = await put(csv, 'text/csv');
    assert.equal(twice.status, 200);
    assert.equal(twice.body['imported'], 3);
    assert.equal(twice.body['changed'], 0);
    assert.equal(await count(), 3);

    // JSON: the same fields; one item changed, one new, one bad (by position).
    const json = await put(
      JSON.stringify([
        { sku: 'SKU-1', barcode: '4006381333931', name: 'Milk, 1 l', price_cents: 129 },
        { sku: 'SKU-5', barcode: '4000000000031', name: 'Jam', price_cents: 279, weight_g: 450 },
        { sku: 'SKU-6', name: 'Tea', price: 3.5 },
      ]),
      'application/json',
    );
    assert.equal(json.status, 200, JSON.stringify(json.body));
    assert.equal(json.body['unit'], 'item');
    assert.equal(json.body['imported'], 2);
    assert.equal(json.body['changed'], 2);
    assert.deepEqual(
      (json.body['rejected'] as { line: number }[]).map((r) => r.line),
      [3],
    );
    assert.equal(await count(), 4);
    const items = await platform.entities.listCatalogItems('berlin-1');
    assert.equal(items.find((i) => i.sku === 'SKU-1')?.priceCents, 129);

    // Malformed: nothing imports, 400 with the reason.
    const unterminated = await put('sku,name,price_cents\nSKU-9,"Open quote,100\n', 'text/csv');
    assert.equal(unterminated.status, 400);
    assert.equal(unterminated.body['error'], 'bad-request');
    assert.match(String(unterminated.body['message']), /malformed/);
    const unknownColumn = await put('sku,name,price\nSKU-9,Tea,3.50\n', 'text/csv');
    assert.equal(unknownColumn.status, 400);
    assert.match(String(unknownColumn.body['message']), /unknown column 'price'/);
    const notJson = await put('[{"sku": ', 'application/json');
    assert.equal(notJson.status, 400);
    assert.match(String(notJson.body['message']), /JSON is malformed/);
    assert.equal(await count(), 4, 'nothing imported from a malformed file');

    // Only ops may change what a store charges; unknown stores and callers are refused.
    const byStaff = await put(csv, 'text/csv', staff);
    assert.equal(byStaff.status, 403);
    const other = await apiToken(platform, 'staff', 'paris-1');
    assert.equal(
      (await apiRequest(platform, 'GET', '/v1/stores/berlin-1/catalog', { token: other })).status,
      403,
    );
    const anonymous = await platformFetch(platform)(
      `${platform.apiUrl}/v1/stores/berlin-1/catalog`,
      {
        method: 'PUT',
        headers: { 'content-type': 'text/csv' },
        body: csv,
      },
    );
    assert.equal(anonymous.status, 401);
    assert.equal((await put(csv, 'text/csv', ops, 'nowhere')).status, 404);
    const nowhere = await apiRequest(platform, 'GET', '/v1/stores/nowhere/catalog', { token: ops });
    assert.equal(nowhere.status, 404);
    assert.deepEqual(await platform.entities.listCatalogItems('nowhere'), []);
    assert.equal(await count(), 4);
  });
});
