import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exposed, parseExposition } from '../../../test-support/prometheus-text.js';
import { MAX_STORES } from './fleet-cuts.js';
import { PlatformMetrics } from './metrics.js';

describe('/metrics exposition', () => {
  it('stays valid text format with every cut in use, process metrics included', async () => {
    const metrics = new PlatformMetrics({ processMetrics: true });
    for (let i = 0; i <= MAX_STORES; i++) metrics.cuts.stored('cart', `store-${i}`, '2.4.1');
    metrics.cuts.rejected('coldchain', 'store-1', undefined);
    metrics.cuts.connected('tool', 'store-2');
    metrics.publishToStored.observe(0.2);
    metrics.authFailures.inc({ stage: 'admission' });
    metrics.otaRolloutDevices.set({ rollout: 'r-1', state: 'succeeded' }, 7);

    const samples = parseExposition(await metrics.text());
    const byStore = exposed(samples, 'fleetplane_ingest_stored_by_store_total');
    assert.equal(byStore.length, MAX_STORES + 1);
    assert.equal(
      exposed(samples, 'fleetplane_ingest_stored_by_store_total', { store: 'other' })[0]?.value,
      1,
    );
    assert.deepEqual(exposed(samples, 'fleetplane_ingest_rejects_by_firmware_total')[0]?.labels, {
      device_class: 'coldchain',
      firmware: 'unknown',
    });
    assert.equal(
      exposed(samples, 'fleetplane_ota_rollout_devices', { rollout: 'r-1' })[0]?.value,
      7,
    );
    assert.ok(exposed(samples, 'fleetplane_ingest_publish_to_stored_seconds_bucket').length > 10);
  });

  it('is checked by a parser that refuses what a scraper would', () => {
    const family = '# TYPE m counter\n';
    assert.equal(parseExposition(`${family}m{a="x \\"y\\""} 1\n`)[0]?.labels['a'], 'x "y"');
    assert.throws(() => parseExposition('m 1\n'), /undeclared family/);
    assert.throws(() => parseExposition(`${family}m{a="x} 1\n`), /bad labels|not a sample/);
    assert.throws(() => parseExposition(`${family}m{a="1"} one\n`), /bad value/);
    assert.throws(() => parseExposition(`${family}m{a="1"} 1\nm{a="1"} 2\n`), /series twice/);
    assert.throws(() => parseExposition(`${family}${family}`), /declared twice/);
  });
});
