import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_FIRMWARE_PER_CLASS, MAX_STORES, UNKNOWN_FIRMWARE } from './fleet-cuts.js';
import { LabelCap } from './label-cap.js';
import { PlatformMetrics } from './metrics.js';

const storeId = (i: number) => `store-${String(i).padStart(3, '0')}`;

type Row = Record<string, string | number | undefined>;

async function values(metric: {
  get(): Promise<{ values: { value: number; labels: object }[] }>;
}): Promise<Row[]> {
  return (await metric.get()).values.map((v) => ({ ...(v.labels as Row), value: v.value }));
}

describe('fleet cuts: store and firmware labels, capped', () => {
  it('gives the first 200 stores their own label and counts the 201st as other', async () => {
    const metrics = new PlatformMetrics();
    for (let i = 1; i <= MAX_STORES + 1; i++) metrics.cuts.stored('cart', storeId(i), '2.4.1');
    metrics.cuts.stored('cart', storeId(MAX_STORES + 2), '2.4.1');
    metrics.cuts.stored('cart', storeId(1), '2.4.1');

    const stored = await values(metrics.storedByStore);
    assert.equal(stored.length, MAX_STORES + 1, '200 stores and other');
    assert.deepEqual(
      stored.find((v) => v['store'] === 'other'),
      { device_class: 'cart', store: 'other', value: 2 },
      'the 201st and 202nd store',
    );
    assert.equal(stored.find((v) => v['store'] === storeId(1))?.value, 2);
    assert.equal(metrics.cuts.storeLabel(storeId(MAX_STORES + 1)), 'other');
    assert.equal(metrics.cuts.storeLabel(storeId(MAX_STORES)), storeId(MAX_STORES));
  });

  it('caps firmware versions per device class and labels a device that never said as unknown', async () => {
    const metrics = new PlatformMetrics();
    for (let v = 0; v <= MAX_FIRMWARE_PER_CLASS; v++) metrics.cuts.stored('cart', 's1', `1.0.${v}`);
    metrics.cuts.stored('coldchain', 's1', '9.9.9'); // another class has a cap of its own
    metrics.cuts.rejected('cart', 's1', undefined);

    const stored = await values(metrics.storedByFirmware);
    const carts = stored.filter((v) => v['device_class'] === 'cart');
    assert.equal(carts.length, MAX_FIRMWARE_PER_CLASS + 1, '20 versions and other');
    assert.ok(carts.some((v) => v['firmware'] === 'other'));
    assert.ok(stored.some((v) => v['firmware'] === '9.9.9'));
    assert.deepEqual(await values(metrics.rejectsByFirmware), [
      { device_class: 'cart', firmware: UNKNOWN_FIRMWARE, value: 1 },
    ]);
  });

  it('steps the per-store connected gauge down under the label it stepped it up', async () => {
    const metrics = new PlatformMetrics();
    for (let i = 1; i <= MAX_STORES + 2; i++) metrics.cuts.connected('cart', storeId(i));
    metrics.cuts.disconnected('cart', storeId(MAX_STORES + 1));
    metrics.cuts.disconnected('cart', storeId(1));
    const connected = await values(metrics.connectedByStore);
    assert.equal(connected.find((v) => v['store'] === 'other')?.value, 1);
    assert.equal(connected.find((v) => v['store'] === storeId(1))?.value, 0);
    assert.equal(connected.find((v) => v['store'] === storeId(2))?.value, 1);
  });

  it('never lets a raw value named other take a place under the cap', () => {
    const cap = new LabelCap(2);
    assert.equal(cap.value('other'), 'other');
    assert.equal(cap.value('a'), 'a');
    assert.equal(cap.value('b'), 'b');
    assert.equal(cap.value('c'), 'other');
    assert.equal(cap.value('a'), 'a', 'a value once given is kept');
  });
});
