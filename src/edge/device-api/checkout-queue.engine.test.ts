import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { deviceRequest, deviceSigner } from '../../../test-support/device-https.js';
import { FakePaymentGateway } from '../../../test-support/fake-payment-gateway.js';
import { message } from '../../../test-support/messages.js';
import { haveNats, NATS_URL, removeStreamAfter, uniqueStream } from '../../../test-support/nats.js';
import {
  connectDevice,
  deviceTlsCredentials,
  fleetDataDir,
  provisionDevice,
  startTestPlatform,
} from '../../../test-support/platform.js';
import { DEVICE_API_PATHS, topicFor, type CheckoutResult } from '../../contract/index.js';

const LINES = [
  { barcode: '4006381333931', sku: 'SKU-1029', quantity: 1, price_cents: 249 },
  { barcode: '5449000000996', sku: 'SKU-2210', quantity: 2, price_cents: 249 },
];
const TOTAL = 747;

// Decision 055: over the queue, a scan's PUBACK means "in the stream", not "stored"; the checkout
// that follows at once must still see every scan the cart was acknowledged for. The checkout waits
// for the queue to settle; here the store side is usually done first anyway, so this shows the
// path works end to end, and the contract's settle test (ingest-queue.contract.ts) pins the wait.
describe('device API: checkout behind the JetStream ingest queue', () => {
  it('answers paid, with the scans that came through the queue in its basket check', async (t) => {
    if (!(await haveNats(t))) return;
    const stream = uniqueStream();
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-0710');
    const gateway = new FakePaymentGateway();
    const platform = await startTestPlatform(
      t,
      data,
      { queue: { url: NATS_URL, stream } },
      { paymentGateway: gateway },
    );
    removeStreamAfter(t, stream);
    const cart = await connectDevice(t, platform.mqttUrl, dir);
    const sign = await deviceSigner(dir);
    const session_id = randomUUID();
    let counter = 1;
    const signed = (type: 'session-start' | 'scan' | 'session-end', fields = {}) =>
      sign(message(type, 'CART-0710', counter++, { session_id, ...fields }));

    await cart.sendRaw(topicFor('cart', 'CART-0710', 'session-start'), signed('session-start'));
    for (const [i, line] of LINES.entries()) {
      const scan = signed('scan', {
        ...line,
        scan_seq: i + 1,
        weight_delta_g: 500,
        expected_weight_g: 500,
        weight_check: 'match',
      });
      await cart.sendRaw(topicFor('cart', 'CART-0710', 'scan'), scan);
    }
    const end = signed('session-end', {
      status: 'complete',
      item_count: 3,
      total_cents: TOTAL,
      contents: LINES,
      weight_mismatches: 0,
      payment: {
        method: 'store-terminal',
        status: 'authorized',
        auth_token: 'auth_7Hq2LmX9pR4t',
        amount_cents: TOTAL,
      },
    });
    const answer = await deviceRequest(
      `${platform.deviceApiUrl}${DEVICE_API_PATHS.checkout}`,
      await deviceTlsCredentials(dir),
      { method: 'POST', body: end, headers: { 'content-type': 'application/octet-stream' } },
    );
    assert.equal(answer.status, 200, answer.body);
    const result = JSON.parse(answer.body) as CheckoutResult;
    assert.equal(result.outcome, 'paid');
    assert.equal(result.reason, undefined, 'the queued scans match the basket');
    assert.equal(gateway.capturesFor(session_id), 1);
  });
});
