import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cartsQuery,
  costComparison,
  costSections,
  formatUsd,
  type CostModel,
} from './cost-table.js';

const line = (item: string, perMonthUsd: number, carts: number, fixed = false) => ({
  item,
  usage: 'u',
  unitPrice: '$1 / million',
  perMonthUsd,
  perCartMonthUsd: perMonthUsd / carts,
  fixed,
});

const model: CostModel = {
  carts: 5000,
  prices: { id: 'aws-us-east-1-2026-12', asOf: '2026-12-07', region: 'us-east-1' },
  usage: {
    messagesPerMonth: 10_950,
    messagesPerDay: 360,
    storedBytesPerMonth: 5_098_228.75,
    heldBytes: 91_768_117.5,
    cpuSecondsPerMonth: 27.5,
  },
  deployments: [
    {
      deployment: 'self-hosted',
      lines: [line('VM', 59.568, 5000)],
      perMonthUsd: 154.08916103,
      perCartMonthUsd: 154.08916103 / 5000,
    },
    {
      deployment: 'aws',
      lines: [line('KMS keys', 3, 5000, true)],
      perMonthUsd: 1406.634182,
      perCartMonthUsd: 1406.634182 / 5000,
    },
  ],
  seed: { scaleCarts: 5000, perCartMonthUsd: 0.39, cloudPerCartMonthUsd: 0.225 },
};

describe('the cost table in the billing view', () => {
  it('shows per-month dollars to the cent and per cart-month to a hundredth of a cent', () => {
    const [self, aws] = costSections(model);
    assert.deepEqual(self, {
      title: 'Self-hosted',
      rows: [
        {
          item: 'VM',
          usage: 'u',
          unitPrice: '$1 / million',
          perMonth: '$59.57',
          perCartMonth: '$0.0119',
        },
      ],
      // 154.08916103 / 5,000 = 0.0308178…
      total: {
        item: 'Total',
        usage: '',
        unitPrice: '',
        perMonth: '$154.09',
        perCartMonth: '$0.0308',
      },
    });
    assert.equal(aws?.rows[0]?.item, 'KMS keys (fixed)');
    // 3 / 5,000 = 0.0006; 1,406.634182 / 5,000 = 0.28132…
    assert.equal(aws?.rows[0]?.perCartMonth, '$0.0006');
    assert.equal(aws?.total.perMonth, '$1,406.63');
    assert.equal(aws?.total.perCartMonth, '$0.2813');
  });

  it("puts both deployments beside the seed's $0.39 and says what the seed's figure holds", () => {
    assert.deepEqual(costComparison(model), [
      { label: 'Self-hosted', perCartMonth: '$0.0308', note: 'at 5,000 carts' },
      { label: 'AWS', perCartMonth: '$0.2813', note: 'at 5,000 carts' },
      {
        label: 'Seed (PRD)',
        perCartMonth: '$0.3900',
        note: 'at 5,000 carts; $0.2250 without the LTE-M data plan',
      },
    ]);
  });

  it("formats in the page's locale", () => {
    assert.equal(formatUsd(1406.634182, 2, 'de'), '1.406,63\u00a0$');
  });

  it('asks only for a whole number of carts from 1 to 10,000,000', () => {
    assert.equal(cartsQuery('5000'), 5000);
    assert.equal(cartsQuery(' 12 '), 12);
    for (const bad of ['', '0', '-3', '2.5', '5k', '10000001', '1e3'])
      assert.equal(cartsQuery(bad), null, bad);
  });
});
