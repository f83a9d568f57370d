import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { platformFetch } from '../../../test-support/api-client.js';
import { message } from '../../../test-support/messages.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
  startTestPlatform,
} from '../../../test-support/platform.js';
import { parseExposition } from '../../../test-support/prometheus-text.js';
import type { PlatformMetrics } from '../../shared/observability/metrics.js';
import { exportedQueries } from './exported-queries.js';
import { labelValuesReference, promqlReferences, type Selector } from './promql-references.js';

interface Family {
  readonly type: string;
  /** Label names seen on its samples, or declared on the registry when it has none yet. */
  readonly labels: ReadonlySet<string>;
}

// Prometheus writes `up` itself for every target; the platform does not export it.
const SCRAPE_LABELS = ['job', 'instance'];
const SUFFIXES: Record<string, readonly string[]> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['_sum', '_count'],
};

interface References {
  readonly where: string;
  readonly selectors: readonly Selector[];
  readonly grouping: readonly string[];
}

/** The names each exported query reads. */
function exportedReferences(): References[] {
  return exportedQueries().map((q) =>
    q.variable
      ? { where: q.where, selectors: [labelValuesReference(q.expr)], grouping: [] }
      : { where: q.where, ...promqlReferences(q.expr) },
  );
}

function familiesOf(text: string, metrics: PlatformMetrics): Map<string, Family> {
  const types = new Map<string, string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) types.set(name!, type!);
  const seen = new Map<string, Set<string>>();
  for (const sample of parseExposition(text)) {
    const family = types.has(sample.name)
      ? sample.name
      : sample.name.replace(/_(bucket|sum|count)$/, '');
    const labels = seen.get(family) ?? new Set<string>();
    for (const label of Object.keys(sample.labels)) labels.add(label);
    seen.set(family, labels);
  }
  const families = new Map<string, Family>();
  for (const [name, type] of types) {
    // prom-client writes a labelled family with no children yet as HELP and TYPE only; its label
    // names are then the ones it was declared with.
    const declared = (metrics.registry.getSingleMetric(name) as { labelNames?: string[] })
      ?.labelNames;
    families.set(name, { type, labels: seen.get(name) ?? new Set(declared ?? []) });
  }
  return families;
}

/** The family a sample name belongs to: itself, or a histogram's `_bucket`, `_sum`, `_count`. */
function familyOf(metric: string, families: ReadonlyMap<string, Family>): Family | undefined {
  const exact = families.get(metric);
  if (exact) return exact;
  for (const [type, suffixes] of Object.entries(SUFFIXES))
    for (const suffix of suffixes.filter((x) => metric.endsWith(x))) {
      const family = families.get(metric.slice(0, -suffix.length));
      if (family?.type === type) return family;
    }
  return undefined;
}

/** What a query reads that the platform does not export: one line per unknown name. */
function missing(queries: readonly References[], families: ReadonlyMap<string, Family>): string[] {
  const problems: string[] = [];
  for (const q of queries) {
    const known = new Set<string>(SCRAPE_LABELS);
    for (const s of q.selectors) {
      if (s.metric === 'up') {
        for (const l of s.labels.filter((l) => !SCRAPE_LABELS.includes(l)))
          problems.push(`${q.where}: up has no label ${l}`);
        continue;
      }
      const family = familyOf(s.metric, families);
      if (!family) {
        problems.push(`${q.where}: ${s.metric} is not exported`);
        continue;
      }
      const labels = new Set(family.labels);
      if (s.metric.endsWith('_bucket') && family.type === 'histogram') labels.add('le');
      for (const l of labels) known.add(l);
      for (const l of s.labels.filter((l) => !labels.has(l)))
        problems.push(`${q.where}: ${s.metric} has no label ${l}`);
    }
    for (const l of q.grouping.filter((l) => !known.has(l)))
      problems.push(`${q.where}: groups by ${l}, which none of its metrics has`);
  }
  return problems;
}

describe('observability export against a running platform', () => {
  it('reads only metric and label names that /metrics exports (alert rules, panels, variables)', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-3001');
    const platform = await startTestPlatform(t, data);
    // Traffic, so the labelled families have samples and their labels are read off the scrape:
    // a connected cart, stored health reports, a replay (a reject), a connection without a
    // certificate (an auth failure at stage tls).
    const cart = await connectDevice(t, platform.mqttUrl, dir);
    const health = (counter: number) =>
      message('health', 'CART-3001', counter, { session_id: undefined, firmware_version: '2.4.1' });
    await cart.send(health(1));
    await cart.send(health(2));
    await cart.send(health(2));
    const { default: mqtt } = await import('mqtt');
    await assert.rejects(
      mqtt.connectAsync(
        platform.mqttUrl,
        {
          clientId: 'intruder',
          rejectUnauthorized: false,
          reconnectPeriod: 0,
          connectTimeout: 3000,
        },
        false,
      ),
    );
    const text = await eventually(async () => {
      const response = await platformFetch(platform)(`${platform.apiUrl}/metrics`);
      assert.equal(response.status, 200);
      const body = await response.text();
      return /fleetplane_ingest_rejects_by_store_total\{[^}]*\} 1/.test(body) &&
        /fleetplane_broker_auth_failures_total\{stage="tls"\} [1-9]/.test(body)
        ? body
        : undefined;
    }, 'the replay and the refused connection counted');

    const families = familiesOf(text, platform.metrics);
    const queries = exportedReferences();
    assert.ok(queries.length >= 40, `${queries.length} queries read`);
    assert.deepEqual(missing(queries, families), []);

    // The check itself catches a misspelt metric, a label a metric lacks, and a stray grouping.
    const wrong = [
      'sum(rate(fleetplane_ingest_message_total[5m]))',
      'fleetplane_ingest_stored_by_store_total{site="x"}',
      'sum by (region) (fleetplane_dead_letters)',
      'histogram_quantile(0.99, sum by (le) (rate(fleetplane_ingest_batch_size_bucket[5m])))',
    ].map((expr) => ({ where: expr, ...promqlReferences(expr) }));
    assert.deepEqual(missing(wrong, families), [
      'sum(rate(fleetplane_ingest_message_total[5m])): fleetplane_ingest_message_total is not exported',
      'fleetplane_ingest_stored_by_store_total{site="x"}: fleetplane_ingest_stored_by_store_total has no label site',
      'sum by (region) (fleetplane_dead_letters): groups by region, which none of its metrics has',
    ]);
  });
});
