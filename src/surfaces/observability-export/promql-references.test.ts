import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labelValuesReference, promqlReferences } from './promql-references.js';

describe('PromQL references', () => {
  it('finds metrics and their matcher labels, not functions, keywords, strings or durations', () => {
    const refs = promqlReferences(
      'sum by (store) (rate(a_total{outcome="rejected", store=~"$store"}[$__rate_interval])) / ' +
        'sum(rate(b_total[5m] offset 1h)) > 0.05 and on (store) up{job="x"} == 0',
    );
    assert.deepEqual(refs.selectors, [
      { metric: 'a_total', labels: ['outcome', 'store'] },
      { metric: 'b_total', labels: [] },
      { metric: 'up', labels: ['job'] },
    ]);
    assert.deepEqual(refs.grouping, ['store', 'store']);
  });

  it('reads histogram_quantile and topk without taking their arguments for metrics', () => {
    const refs = promqlReferences(
      'histogram_quantile(0.99, sum by (le) (rate(h_seconds_bucket[5m]))) > 2 or topk(10, c)',
    );
    assert.deepEqual(
      refs.selectors.map((s) => s.metric),
      ['h_seconds_bucket', 'c'],
    );
    assert.deepEqual(refs.grouping, ['le']);
  });

  it('refuses what it cannot read instead of guessing', () => {
    assert.throws(() => promqlReferences('a{store="x'), /unterminated string/);
    assert.throws(() => promqlReferences('a{store}'), /matcher operator/);
    assert.throws(() => promqlReferences('rate(a[5m'), /unterminated range/);
  });

  it('reads a Grafana label_values variable query', () => {
    assert.deepEqual(labelValuesReference('label_values(m, store)'), {
      metric: 'm',
      labels: ['store'],
    });
    assert.throws(() => labelValuesReference('query_result(m)'), /label_values/);
  });
});
