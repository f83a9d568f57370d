import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiRequest, apiToken, platformFetch } from '../../../test-support/api-client.js';
import { fleetDataDir, startTestPlatform, STORE } from '../../../test-support/platform.js';
import { costTable } from './cost-model.js';
import { loadPriceFile } from './price-file.js';

// GET /v1/billing/cost on a real platform: the table `fleetplane cost` prints, for ops only.
describe('HTTP API: the cost model', () => {
  it('answers ops with the cost table for N carts, refuses other roles and bad cart counts', async (t) => {
    const data = await fleetDataDir(t);
    const platform = await startTestPlatform(t, data);
    const ops = await apiToken(platform, 'ops');

    const answer = await apiRequest(platform, 'GET', '/v1/billing/cost?carts=5000', { token: ops });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    // The route serializes through its response schema: nothing the model says may be lost.
    const expected = JSON.parse(JSON.stringify(costTable(5000, await loadPriceFile()))) as object;
    assert.deepEqual(answer.body, expected);
    const deployments = answer.body['deployments'] as {
      deployment: string;
      perCartMonthUsd: number;
    }[];
    // Hand-computed in cost-model.test.ts: $154.089161 and $1,406.634182 a month at 5,000 carts.
    assert.ok(Math.abs(deployments[0]!.perCartMonthUsd - 154.08916103 / 5000) < 1e-9);
    assert.ok(Math.abs(deployments[1]!.perCartMonthUsd - 1406.634182333 / 5000) < 1e-9);
    assert.equal((answer.body['seed'] as Record<string, number>)['perCartMonthUsd'], 0.39);

    for (const carts of ['0', '-1', '2.5', 'many', '10000001', '']) {
      const bad = await apiRequest(platform, 'GET', `/v1/billing/cost?carts=${carts}`, {
        token: ops,
      });
      assert.equal(bad.status, 400, `carts=${carts}`);
      assert.match(JSON.stringify(bad.body), /carts/, `carts=${carts} names the field`);
    }
    assert.equal(
      (await apiRequest(platform, 'GET', '/v1/billing/cost', { token: ops })).status,
      400,
    );
    const fetch = platformFetch(platform);
    const anonymous = await fetch(`${platform.apiUrl}/v1/billing/cost?carts=5`);
    await anonymous.arrayBuffer();
    assert.equal(anonymous.status, 401);
    const staff = await apiToken(platform, 'staff', STORE);
    assert.equal(
      (await apiRequest(platform, 'GET', '/v1/billing/cost?carts=5', { token: staff })).status,
      403,
    );

    const openapi = (await (await fetch(`${platform.apiUrl}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { tags?: string[] }>>;
    };
    assert.deepEqual(openapi.paths['/v1/billing/cost']?.['get']?.tags, ['operations', 'billing']);
  });
});
