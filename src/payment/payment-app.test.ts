import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { describe, it, type TestContext } from 'node:test';
import { createLogger } from '../shared/observability/logger.js';
import { createPaymentApp } from './payment-app.js';
import { PaymentService } from './payment-service.js';
import { PaymentStore } from './payment-store.js';
import { SimulatedProcessor, type PaymentProcessor } from './processor.js';
import { Refusals } from './refusals.js';

const TOKEN = 'tok_4f9aKx2mQ8zL0pR7vT3w';
const PAN = '4111 1111 1111 1111';

/** The service's routes in memory (no TLS), with the log lines it wrote and a processor count. */
function service(t: TestContext, processor?: PaymentProcessor) {
  const lines: string[] = [];
  const log = createLogger({
    level: 'info',
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  });
  const simulated = new SimulatedProcessor(Buffer.alloc(32, 7));
  const calls = { capture: 0 };
  const counting: PaymentProcessor = processor ?? {
    fingerprint: (token) => simulated.fingerprint(token),
    capture: (...args) => {
      calls.capture++;
      return simulated.capture(...args);
    },
  };
  const store = new PaymentStore(':memory:');
  const refusals = new Refusals(log);
  const app = createPaymentApp(
    { service: new PaymentService(store, counting), refusals, log },
    null,
  );
  t.after(async () => {
    await app.close();
    store.close();
  });
  const post = async (url: string, payload: unknown, headers: Record<string, string> = {}) => {
    const res = await app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', ...headers },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
    return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
  };
  return { app, post, lines, calls, refusals, store };
}

const capture = (over: Record<string, unknown> = {}) => ({
  session_id: randomUUID(),
  auth_token: 'auth_0123456789',
  amount_cents: 1250,
  currency: 'EUR',
  ...over,
});

describe('payment service routes', () => {
  it('resolves a token to a stable method reference, first seen once', async (t) => {
    const { post } = service(t);
    const first = await post('/v1/payment-methods/resolve', { payment_token: TOKEN });
    assert.equal(first.status, 200);
    assert.match(String(first.body['method_ref']), /^pm_[0-9a-f]{32}$/);
    assert.equal(first.body['first_seen'], true);
    const again = await post('/v1/payment-methods/resolve', { payment_token: TOKEN });
    assert.deepEqual(again.body, { method_ref: first.body['method_ref'], first_seen: false });
    const other = await post('/v1/payment-methods/resolve', { payment_token: `${TOKEN}X` });
    assert.notEqual(other.body['method_ref'], first.body['method_ref']);
  });

  it('captures once per session: the same request answers the stored result, another is a conflict', async (t) => {
    const { post, calls } = service(t);
    const request = capture();
    const first = await post('/v1/authorizations/capture', request);
    assert.equal(first.status, 200);
    assert.equal(first.body['status'], 'captured');
    assert.equal(first.body['captured_cents'], 1250);
    assert.match(String(first.body['payment_ref']), /^pay_[0-9a-f]+$/);
    assert.deepEqual((await post('/v1/authorizations/capture', request)).body, first.body);
    assert.equal(calls.capture, 1, 'the processor is asked once');

    const otherAmount = await post('/v1/authorizations/capture', { ...request, amount_cents: 999 });
    assert.equal(otherAmount.status, 409);
    assert.equal(otherAmount.body['error'], 'conflict');
    const otherToken = await post('/v1/authorizations/capture', {
      ...request,
      auth_token: 'auth_another1',
    });
    assert.equal(otherToken.status, 409);
    assert.match(String(otherToken.body['message']), /already captured/);
    assert.equal(calls.capture, 1);
  });

  it('asks the processor once when the same capture arrives twice at the same time', async (t) => {
    const { post, calls } = service(t);
    const request = capture();
    const [a, b] = await Promise.all([
      post('/v1/authorizations/capture', request),
      post('/v1/authorizations/capture', request),
    ]);
    assert.deepEqual(a, b);
    assert.equal(calls.capture, 1);
  });

  it('declines decl… tokens, reports an amount mismatch for _amt<cents>, and takes a new auth token after either', async (t) => {
    const { post } = service(t);
    const request = capture({ auth_token: 'decl_0123456789' });
    const declined = await post('/v1/authorizations/capture', request);
    assert.equal(declined.body['status'], 'declined');
    assert.equal(declined.body['captured_cents'], 0);
    const mismatch = await post('/v1/authorizations/capture', {
      ...request,
      auth_token: 'auth_0123_amt1000',
    });
    assert.deepEqual(
      { status: mismatch.body['status'], captured: mismatch.body['captured_cents'] },
      { status: 'amount-mismatch', captured: 0 },
    );
    const paid = await post('/v1/authorizations/capture', {
      ...request,
      auth_token: 'auth_0123_amt1250',
    });
    assert.equal(paid.body['status'], 'captured');
    assert.notEqual(paid.body['payment_ref'], declined.body['payment_ref']);
  });

  it('answers 400 with the reason for a malformed body, and 415 for anything but JSON', async (t) => {
    const { post } = service(t);
    const cases: [unknown, RegExp][] = [
      [capture({ amount_cents: '1250' }), /amount_cents must be integer/],
      [capture({ amount_cents: 0 }), /amount_cents must be >= 1/],
      [capture({ session_id: 'not-a-uuid' }), /session_id must match pattern/],
      [capture({ extra: 1 }), /must NOT have additional properties/],
      ['{"session_id": ', /^the body is not valid JSON$/],
    ];
    for (const [payload, reason] of cases) {
      const res = await post('/v1/authorizations/capture', payload);
      assert.equal(res.status, 400, JSON.stringify(payload));
      assert.equal(res.body['error'], 'bad-request');
      assert.match(String(res.body['message']), reason);
    }
    const missing = await post('/v1/payment-methods/resolve', {});
    assert.match(String(missing.body['message']), /must have required property 'payment_token'/);
    const text = await post('/v1/payment-methods/resolve', 'x', { 'content-type': 'text/plain' });
    assert.equal(text.status, 415);
  });

  it('refuses card data anywhere with 422 before validation, logs where but never the digits, stores nothing', async (t) => {
    const { app, post, lines, refusals, store } = service(t);
    const sessionId = randomUUID();
    const refused = [
      await post('/v1/authorizations/capture', capture({ session_id: sessionId, auth_token: PAN })),
      await post('/v1/authorizations/capture', capture({ session_id: sessionId, x: { y: [PAN] } })),
      await post('/v1/authorizations/capture', `{"session_id": "${sessionId}", "pan": ${PAN}`),
      await post('/v1/payment-methods/resolve', { payment_token: TOKEN, n: 4111111111111111 }),
      await post('/v1/nowhere', { pan: PAN }),
    ];
    const query = await app.inject({ url: `/v1/healthz?pan=${encodeURIComponent(PAN)}` });
    const paths = ['$.auth_token', '$.x.y[0]', '$', '$.n', '$.pan'];
    for (const [i, res] of refused.entries()) {
      assert.equal(res.status, 422, JSON.stringify(res.body));
      assert.equal(res.body['error'], 'card-data-refused');
      assert.ok(
        String(res.body['message']).includes(`field ${paths[i]} `),
        String(res.body['message']),
      );
    }
    assert.equal(query.statusCode, 422);
    assert.match(query.json<{ message: string }>().message, /field \(url\)/);

    assert.equal(refusals.counts.card_data, 6);
    const log = lines.join('');
    assert.ok(log.includes('"path":"$.x.y[0]"'), 'the log names the field');
    for (const form of [PAN, PAN.replace(/ /g, ''), '1111 1111', '41111']) {
      assert.ok(!log.includes(form), `the log holds no '${form}'`);
    }
    assert.deepEqual(store.attempts(sessionId), [], 'nothing stored');
  });

  it('answers 502 when the processor fails, without the processor error', async (t) => {
    const { post } = service(t, {
      fingerprint: () => Promise.reject(new Error('connection to processor refused')),
      capture: () => Promise.reject(new Error('connection to processor refused')),
    });
    const res = await post('/v1/payment-methods/resolve', { payment_token: TOKEN });
    assert.equal(res.status, 502);
    assert.deepEqual(res.body, {
      error: 'processor-unavailable',
      message: 'the payment processor did not answer',
    });
  });
});
