import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { apiToken, platformFetch } from '../../../test-support/api-client.js';
import { deviceRequest, deviceSigner, type DeviceTls } from '../../../test-support/device-https.js';
import { FakePaymentGateway } from '../../../test-support/fake-payment-gateway.js';
import { message } from '../../../test-support/messages.js';
import {
  deviceTlsCredentials,
  eventually,
  fleetDataDir,
  provisionDevice,
  runCli,
  startTestPlatform,
  suitePlatform,
} from '../../../test-support/platform.js';
import { verifyReceipt } from '../../domain/checkout/receipts.js';
import { CredentialSealKeys } from '../../domain/customers/seal-keys.js';
import { LocalKeyring } from '../../stores/keys/index.js';
import {
  DEVICE_API_PATHS,
  MAX_PAYLOAD_BYTES,
  topicFor,
  validateDocument,
  type CheckoutResult,
  type DeviceMessageType,
  type SealKey,
} from '../../contract/index.js';
import type { RunningPlatform } from '../../platform/platform.js';

const LINES = [
  { barcode: '4006381333931', sku: 'SKU-1029', quantity: 1, price_cents: 249 },
  { barcode: '5449000000996', sku: 'SKU-2210', quantity: 2, price_cents: 249 },
];
const TOTAL = 747;

/** A cart's trip, signed with its own key: what it publishes, and its checkout frame. */
async function trip(dir: string, deviceId: string, first: number) {
  const sign = await deviceSigner(dir);
  const session_id = randomUUID();
  let counter = first;
  const frame = <T extends DeviceMessageType>(type: T, fields: Record<string, unknown> = {}) =>
    ({ type, frame: sign(message(type, deviceId, counter++, { session_id, ...fields })) }) as const;
  const scans = LINES.map((line, i) =>
    frame('scan', {
      scan_seq: i + 1,
      barcode: line.barcode,
      sku: line.sku,
      quantity: line.quantity,
      price_cents: line.price_cents,
      weight_delta_g: i === 1 ? 120 : 500,
      expected_weight_g: 500,
      weight_check: i === 1 ? 'mismatch' : 'match',
    }),
  );
  const end = (fields: Record<string, unknown> = {}) =>
    frame('session-end', {
      status: 'complete',
      item_count: 3,
      total_cents: TOTAL,
      contents: LINES,
      weight_mismatches: 1,
      payment: {
        method: 'store-terminal',
        status: 'authorized',
        auth_token: 'auth_7Hq2LmX9pR4t',
        amount_cents: TOTAL,
      },
      ...fields,
    });
  return { session_id, sign, published: [frame('session-start'), ...scans], end };
}

/** Delivers frames as the broker would (the cart published them over MQTT). */
async function publish(
  platform: RunningPlatform,
  deviceId: string,
  frames: readonly { type: DeviceMessageType; frame: Buffer }[],
): Promise<void> {
  for (const { type, frame } of frames) {
    const outcome = await platform.ingest({
      topic: topicFor('cart', deviceId, type),
      payload: frame,
      receivedAt: Date.now(),
    });
    assert.equal(outcome.status, 'stored', type);
  }
}

function postCheckout(url: string, tls: DeviceTls, body: Uint8Array) {
  return deviceRequest(`${url}${DEVICE_API_PATHS.checkout}`, tls, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/octet-stream' },
  });
}

// Checkout through the real device API (mutual TLS), with a fake payment service.
describe('device API: checkout', () => {
  // The first two tests share one platform with a payment service, each with a cart of its own.
  const gateway = new FakePaymentGateway();
  const dirs: Record<string, string> = {};
  const shared = suitePlatform(
    async (data) => {
      await runCli('store', 'add', '--data', data, '--id', 'paris-1', '--name', 'Paris 1');
      for (const id of ['CART-0701', 'CART-0703']) dirs[id] = await provisionDevice(data, id);
    },
    {},
    { paymentGateway: gateway },
  );

  it('answers paid with a signed receipt, the same again for the same frame, 400 with the reason otherwise', async () => {
    const { data, platform } = shared();
    const dir = dirs['CART-0701']!;
    const tls = await deviceTlsCredentials(dir);
    const shop = await trip(dir, 'CART-0701', 1);
    await publish(platform, 'CART-0701', shop.published);
    const checkout = shop.end();

    const paid = await postCheckout(platform.deviceApiUrl, tls, checkout.frame);
    assert.equal(paid.status, 200, paid.body);
    const result = JSON.parse(paid.body) as CheckoutResult;
    const checked = validateDocument('checkout-result', result);
    assert.ok(checked.ok, checked.ok ? '' : checked.detail);
    assert.equal(result.outcome, 'paid');
    assert.equal(result.session_id, shop.session_id);
    assert.equal(result.paid_cents, TOTAL);
    assert.equal(result.reason, undefined, 'the scans match the basket');
    assert.match(result.receipt_id ?? '', /^rcpt_[a-f0-9]{32}$/);
    const key = `receipts/berlin-1/${shop.session_id}.json`;
    assert.ok(await platform.blobs.head(key), 'the receipt is in the blob store');

    const again = await postCheckout(platform.deviceApiUrl, tls, checkout.frame);
    assert.equal(again.status, 200);
    assert.deepEqual(JSON.parse(again.body), result, 'the same answer');
    const ends = await platform.telemetry.latestForDevice('CART-0701', {
      limit: 10,
      type: 'session-end',
    });
    assert.equal(ends.length, 1, 'stored once');
    assert.equal(gateway.capturesFor(shop.session_id), 1, 'captured once');
    assert.equal(
      (await platform.entities.getCheckout({ sessionId: shop.session_id }))?.attempts,
      1,
    );

    // The receipt over the ops API, verified with the published key.
    const ops = await apiToken(platform, 'ops');
    const pem = await (
      await platformFetch(platform)(`${platform.apiUrl}/v1/receipts/public-key`)
    ).text();
    const receipt = (await (
      await platformFetch(platform)(`${platform.apiUrl}/v1/sessions/${shop.session_id}/receipt`, {
        headers: { authorization: `Bearer ${ops}` },
      })
    ).json()) as { receipt: { receipt_id: string; customer: unknown } };
    assert.equal(receipt.receipt.receipt_id, result.receipt_id);
    assert.equal(receipt.receipt.customer, null, 'a guest');
    assert.equal(verifyReceipt(receipt, pem), true);
    const byId = await platformFetch(platform)(
      `${platform.apiUrl}/v1/receipts/${result.receipt_id}`,
      {
        headers: { authorization: `Bearer ${await apiToken(platform, 'staff', 'berlin-1')}` },
      },
    );
    assert.equal(byId.status, 200);

    // Refused in the same round trip, nothing stored.
    const before = await platform.telemetry.count();
    const refused = async (body: Uint8Array, reason: string) => {
      const answer = await postCheckout(platform.deviceApiUrl, tls, body);
      assert.equal(answer.status, 400, `${reason}: ${answer.body}`);
      const parsed = JSON.parse(answer.body) as { error: string; message: string };
      assert.equal(parsed.error, reason);
      assert.equal(typeof parsed.message, 'string');
    };
    const next = await trip(dir, 'CART-0701', 100);
    const forged = Buffer.from(next.end().frame);
    forged[forged.length - 1]! ^= 0xff;
    await refused(forged, 'signature');
    await refused(next.published[1]!.frame, 'not-session-end');
    await refused(next.end({ status: 'abandoned' }).frame, 'not-checkout');
    const whole = next.end().frame;
    await refused(whole.subarray(0, Math.floor(whole.length / 2)), 'json');
    await refused(Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x20), 'size');
    await refused(
      next.sign(message('session-end', 'CART-0702', 500, { session_id: next.session_id })),
      'topic',
    );
    assert.equal(await platform.telemetry.count(), before, 'nothing stored');

    const seal = await deviceRequest(`${platform.deviceApiUrl}${DEVICE_API_PATHS.sealKey}`, tls);
    assert.equal(seal.status, 200);
    // The identity service's key, from the data directory's keyring.
    const expected = await new CredentialSealKeys(new LocalKeyring(data)).current();
    assert.deepEqual(JSON.parse(seal.body) as SealKey, expected);
  });

  it('reconciles a checkout that came over MQTT, raises exit-without-pay with weight evidence, and keeps alerts to the store', async () => {
    const { platform } = shared();
    const dir = dirs['CART-0703']!;

    const offline = await trip(dir, 'CART-0703', 1);
    await publish(platform, 'CART-0703', [...offline.published, offline.end()]);
    const reconciled = await eventually(async () => {
      const row = await platform.entities.getCheckout({ sessionId: offline.session_id });
      return row?.outcome === 'paid' ? row : undefined;
    }, 'the MQTT checkout to be reconciled');
    assert.ok(reconciled.receiptId);

    const walkedOff = await trip(dir, 'CART-0703', 50);
    const end = walkedOff.end({
      status: 'abandoned',
      payment: { method: 'none', status: 'not-attempted', amount_cents: 0 },
    });
    await publish(platform, 'CART-0703', [...walkedOff.published, end]);

    const staff = await apiToken(platform, 'staff', 'berlin-1');
    const get = async (path: string, token: string) => {
      const response = await platformFetch(platform)(`${platform.apiUrl}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    type Alert = { kind: string; sessionId: string; evidence: Record<string, unknown> };
    const exit = await eventually(async () => {
      const page = await get('/v1/stores/berlin-1/loss-prevention?kind=exit-without-pay', staff);
      assert.equal(page.status, 200);
      return (page.body['alerts'] as Alert[]).find((a) => a.sessionId === walkedOff.session_id);
    }, 'the exit-without-pay alert');
    assert.equal(exit.evidence['itemCount'], 3);
    assert.equal(exit.evidence['totalCents'], TOTAL);
    assert.equal(exit.evidence['weightMismatches'], 1);
    assert.deepEqual(
      (exit.evidence['mismatchedScans'] as { barcode: string; weightDeltaG: number }[]).map((s) => [
        s.barcode,
        s.weightDeltaG,
      ]),
      [['5449000000996', 120]],
    );
    const all = await get('/v1/stores/berlin-1/loss-prevention?limit=1', staff);
    assert.equal((all.body['alerts'] as Alert[]).length, 1);
    assert.equal(typeof all.body['next'], 'string', 'paged');

    const paris = await apiToken(platform, 'staff', 'paris-1');
    assert.equal((await get('/v1/stores/berlin-1/loss-prevention', paris)).status, 403);
    assert.equal(
      (await get(`/v1/sessions/${offline.session_id}/receipt`, paris)).status,
      403,
      "another store's receipt",
    );
    assert.equal((await get('/v1/stores/paris-1/loss-prevention', paris)).status, 200);
    assert.equal(
      (await get('/v1/stores/berlin-1/loss-prevention', await apiToken(platform, 'customer')))
        .status,
      403,
    );
  });

  it('answers payment-unavailable without a payment service', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-0704');
    const platform = await startTestPlatform(t, data);
    const tls = await deviceTlsCredentials(dir);
    const shop = await trip(dir, 'CART-0704', 1);
    await publish(platform, 'CART-0704', shop.published);
    const answer = await postCheckout(platform.deviceApiUrl, tls, shop.end().frame);
    assert.equal(answer.status, 200, answer.body);
    const result = JSON.parse(answer.body) as CheckoutResult;
    assert.equal(result.outcome, 'payment-unavailable');
    assert.equal(result.reason, 'no-payment-service');
    assert.equal(result.receipt_id, undefined);
  });
});
