import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkoutTrip } from '../../test-support/checkout-trip.js';
import { TestDevice } from '../../test-support/entity-events.js';
import { filePgliteStore } from '../../test-support/pglite-store.js';
import type { AlertView, IngestedEvent } from '../entities/entity-store.js';
import { silentLogger } from '../observability/logger.js';
import { PlatformMetrics } from '../observability/metrics.js';
import { LossPrevention } from './loss-prevention.js';

const entityStore = filePgliteStore();
let stores = 0;

async function harness() {
  const entities = await entityStore();
  const metrics = new PlatformMetrics();
  const told: AlertView[] = [];
  const lp = new LossPrevention({
    entities,
    metrics,
    log: silentLogger(),
    onRaised: (alert) => told.push(alert),
  });
  const storeId = `lp-store-${++stores}`;
  const cart = new TestDevice(`CART-LP${stores}`, storeId);
  /** Projects, then tells the listener, as the projector does. */
  const apply = async (events: IngestedEvent[]) => {
    await entities.project(events);
    await lp.applied(events);
  };
  const alerts = async () => (await entities.listStoreAlerts(storeId, { limit: 100 })).alerts;
  return { entities, metrics, cart, apply, alerts, told };
}

const LEFT = {
  status: 'abandoned',
  payment: { status: 'not-attempted', amount_cents: 0 },
} as const;

describe('LossPrevention', () => {
  it('raises exit-without-pay for an abandoned session with items, with the weight evidence', async () => {
    const { cart, apply, alerts, metrics, told } = await harness();
    const trip = checkoutTrip(cart, { ...LEFT, mismatches: [2] });
    await apply(trip.events);
    const raised = await alerts();
    const exit = raised.find((a) => a.kind === 'exit-without-pay');
    assert.ok(exit);
    assert.equal(exit.sessionId, trip.sessionId);
    assert.equal(exit.counter, trip.end.counter);
    assert.equal(exit.at, new Date(trip.end.deviceTime).toISOString());
    assert.deepEqual(exit.evidence, {
      trigger: 'session-end',
      itemCount: 3,
      totalCents: trip.totalCents,
      currency: 'EUR',
      weightMismatches: 1,
      paymentStatus: 'not-attempted',
      mismatchedScans: [
        {
          scanSeq: 2,
          action: 'add',
          barcode: '5449000000996',
          sku: 'SKU-2210',
          quantity: 2,
          weightDeltaG: 40,
          expectedWeightG: 500,
          offByG: -460,
        },
      ],
    });
    assert.deepEqual(
      raised.filter((a) => a.kind === 'weight-mismatch').map((a) => a.evidence['scanSeq']),
      [2],
      'the mismatched scan raised its own alert',
    );

    assert.deepEqual(
      told.map((a) => a.id).sort(),
      raised.map((a) => a.id).sort(),
      'each raised alert told, open',
    );
    assert.ok(told.every((a) => a.state === 'open'));
    await apply(trip.events);
    assert.equal((await alerts()).length, 2, 'a replay raises nothing again');
    assert.equal(told.length, 2, 'and tells of nothing again');
    assert.match(
      await metrics.text(),
      /fleetplane_loss_prevention_alerts_total\{kind="exit-without-pay"\} 1/,
    );
  });

  it('raises nothing for an empty abandoned session, a paid one, or a voided one', async () => {
    const { cart, apply, alerts } = await harness();
    await apply(checkoutTrip(cart, { ...LEFT, lines: [] }).events);
    await apply(checkoutTrip(cart, { status: 'abandoned' }).events);
    await apply(checkoutTrip(cart, { ...LEFT, status: 'voided' }).events);
    await apply(checkoutTrip(cart).events);
    assert.deepEqual(await alerts(), []);
  });

  it("raises exit-without-pay from the cart's fault, before or after the session-end", async () => {
    const { cart, apply, alerts } = await harness();
    const open = checkoutTrip(cart, { mismatches: [1] });
    const fault = (sessionId: string) =>
      cart.event('fault', {
        code: 'exit-without-payment',
        severity: 'critical',
        session_id: sessionId,
      });
    await apply([...open.events.slice(0, -1), fault(open.sessionId)]);
    const ended = checkoutTrip(cart, { payment: { status: 'declined' } });
    await apply([...ended.events, fault(ended.sessionId)]);
    await apply([cart.event('fault', { code: 'exit-without-payment', severity: 'critical' })]);

    const exits = (await alerts()).filter((a) => a.kind === 'exit-without-pay');
    assert.equal(exits.length, 2, 'a fault that names no session raises nothing');
    const before = exits.find((a) => a.sessionId === open.sessionId)!;
    assert.equal(before.evidence['trigger'], 'fault');
    assert.equal(before.evidence['itemCount'], null, 'the session has not ended');
    assert.equal(before.evidence['totalCents'], open.totalCents, 'the running total of its scans');
    assert.equal((before.evidence['mismatchedScans'] as unknown[]).length, 1);
    const after = exits.find((a) => a.sessionId === ended.sessionId)!;
    assert.equal(after.evidence['itemCount'], 3);
    assert.equal(after.evidence['paymentStatus'], 'declined');
  });
});
