import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeviceUsage } from '../../stores/telemetry/telemetry-store.js';
import { billingConfig } from './billing-config.js';
import { meterMonth } from './metering.js';
import { billingMonth } from './month.js';

const usage = (
  storeId: string,
  deviceId: string,
  activeDays: number,
  messages = 1000,
  bytes = 500_000,
  deviceClass: DeviceUsage['deviceClass'] = 'cart',
): DeviceUsage => ({ storeId, deviceId, deviceClass, messages, bytes, activeDays });

describe('monthly metering', () => {
  it("knows each month's UTC bounds and length", () => {
    assert.equal(billingMonth('2026-11').days, 30);
    assert.equal(billingMonth('2028-02').days, 29);
    assert.equal(billingMonth('2026-12').to, Date.parse('2027-01-01T00:00:00Z'));
  });

  it('counts each cart by the fraction of the days it sent anything, and prices cart-months', () => {
    const month = billingMonth('2026-11');
    const { stores, totals } = meterMonth(
      [
        usage('berlin-1', 'CART-1', 30),
        usage('berlin-1', 'CART-2', 15),
        usage('berlin-1', 'CC-1', 30, 4000, 1_000_000, 'coldchain'),
        usage('paris-1', 'CART-3', 3),
      ],
      month,
      billingConfig(),
    );
    const berlin = stores[0]!;
    assert.equal(berlin.storeId, 'berlin-1');
    assert.deepEqual(berlin.measured, {
      carts: 2,
      cartDays: 45,
      cartMonths: 1.5,
      messages: 6000,
      storedBytes: 2_000_000,
    });
    assert.deepEqual(berlin.invoice, {
      lines: [{ item: 'cart-month', quantity: 1.5, unitPriceCents: 2500, amountCents: 3750 }],
      totalCents: 3750,
      currency: 'USD',
    });
    // 6000 messages at 100 ¢ a million, 2 MB at 10 ¢ a GB-month.
    assert.equal(berlin.cloudCost.messagesCents, 0.6);
    assert.equal(berlin.cloudCost.storageCents, 0.02);
    assert.equal(berlin.cloudCost.perCartCents, 0.31);
    assert.equal(stores[1]!.measured.cartMonths, 0.1);
    assert.equal(stores[1]!.invoice.totalCents, 250);
    assert.equal(totals.cartMonths, 1.6);
    assert.equal(totals.invoiceCents, 4000);
  });

  it('uses the configured prices, and bills a store without carts nothing', () => {
    const { stores } = meterMonth(
      [usage('dock-1', 'CC-1', 30, 10, 10, 'coldchain'), usage('b', 'CART-1', 28)],
      billingMonth('2027-02'),
      billingConfig({ pricePerCartMonthCents: 1000, currency: 'EUR' }),
    );
    assert.equal(stores.find((s) => s.storeId === 'b')?.invoice.totalCents, 1000);
    const dock = stores.find((s) => s.storeId === 'dock-1')!;
    assert.deepEqual(dock.invoice, { lines: [], totalCents: 0, currency: 'EUR' });
    assert.equal(dock.cloudCost.perCartCents, null);
  });
});
