import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { InMemoryPaymentGateway } from '../../../test-support/in-memory-payment-gateway.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { silentLogger } from '../../shared/observability/logger.js';
import { PaymentServer } from '../../payment/payment-server.js';
import { PaymentService } from '../../payment/payment-service.js';
import { PaymentStore } from '../../payment/payment-store.js';
import { initPaymentZone } from '../../payment/payment-zone.js';
import { SimulatedProcessor } from '../../payment/processor.js';
import { loadBridgeCredentials } from './bridge-credentials.js';
import { HttpsPaymentGateway } from './https-payment-gateway.js';
import { PaymentGatewayFailure, type PaymentGateway } from './payment-gateway.js';

const TOKEN = 'tok_Zq81mWc0Lr5Ty2Vb7Nx4';

/** A payment service in this process, on a free port, with its data directory. */
async function service(t: TestContext) {
  const data = await tempDir(t);
  const { zone } = await initPaymentZone(data, new Date());
  const store = new PaymentStore(zone.layout.db);
  const server = new PaymentServer({
    host: '127.0.0.1',
    port: 0,
    zone,
    service: new PaymentService(store, new SimulatedProcessor(zone.processorSecret)),
    log: silentLogger(),
  });
  const { port } = await server.start();
  t.after(async () => {
    await server.close();
    store.close();
  });
  return { data, port, credentials: await loadBridgeCredentials(data) };
}

/** A TCP server that handles each connection with `handle`, counting them. */
async function tcp(t: TestContext, handle: (socket: Socket, n: number) => void) {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    handle(socket, connections++);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as AddressInfo).port, connections: () => connections };
}

function gateway(
  t: TestContext,
  port: number,
  credentials: Awaited<ReturnType<typeof loadBridgeCredentials>>,
  extra: { timeoutMs?: number } = {},
): PaymentGateway {
  const g = new HttpsPaymentGateway({
    url: `https://127.0.0.1:${port}`,
    credentials,
    retryDelayMs: 10,
    ...extra,
  });
  t.after(() => g.close());
  return g;
}

const isFailure = (code: string, extra: (e: PaymentGatewayFailure) => boolean = () => true) => {
  return (e: unknown) => e instanceof PaymentGatewayFailure && e.code === code && extra(e);
};

describe('HTTPS payment gateway', () => {
  it('resolves and captures over mutual TLS, and reports a 4xx as payment-refused with the service code', async (t) => {
    const { port, credentials } = await service(t);
    const g = gateway(t, port, credentials);
    const first = await g.resolveMethod(TOKEN);
    assert.match(first.methodRef, /^pm_[0-9a-f]{32}$/);
    assert.equal(first.firstSeen, true);
    assert.deepEqual(await g.resolveMethod(TOKEN), {
      methodRef: first.methodRef,
      firstSeen: false,
    });
    const request = {
      sessionId: randomUUID(),
      authToken: 'auth_12345678',
      amountCents: 990,
      currency: 'EUR',
    };
    const paid = await g.capture(request);
    assert.equal(paid.status, 'captured');
    assert.deepEqual(await g.capture(request), paid);
    await assert.rejects(
      g.capture({ ...request, amountCents: 991 }),
      isFailure('payment-refused', (e) => e.status === 409 && e.serviceError === 'conflict'),
    );
    await assert.rejects(
      g.resolveMethod('not-a-token'),
      isFailure('payment-refused', (e) => e.serviceError === 'bad-request'),
    );
  });

  it('retries a connection the service reset, and succeeds on the next', async (t) => {
    const { port, credentials } = await service(t);
    const proxy = await tcp(t, (socket, n) => {
      if (n === 0) return void socket.destroy();
      const upstream = connect(port, '127.0.0.1');
      upstream.on('error', () => socket.destroy());
      socket.pipe(upstream).pipe(socket);
    });
    const g = gateway(t, proxy.port, credentials);
    assert.equal((await g.resolveMethod(TOKEN)).firstSeen, true);
    assert.equal(proxy.connections(), 2);
  });

  it('gives up after the bounded retries with payment-unavailable', async (t) => {
    const { credentials } = await service(t);
    const reset = await tcp(t, (socket) => socket.destroy());
    const g = gateway(t, reset.port, credentials);
    await assert.rejects(g.resolveMethod(TOKEN), isFailure('payment-unavailable'));
    assert.equal(reset.connections(), 3, 'one attempt and two retries');
  });

  it('does not retry a timeout', async (t) => {
    const { credentials } = await service(t);
    const silent = await tcp(t, () => undefined);
    const g = gateway(t, silent.port, credentials, { timeoutMs: 200 });
    await assert.rejects(
      g.resolveMethod(TOKEN),
      isFailure('payment-unavailable', (e) => e.message.includes('timed out')),
    );
    assert.equal(silent.connections(), 1);
  });

  it('refuses a service whose certificate is not from the payment CA, without retrying', async (t) => {
    const { port } = await service(t);
    const other = await service(t);
    const proxy = await tcp(t, (socket) => {
      const upstream = connect(port, '127.0.0.1');
      upstream.on('error', () => socket.destroy());
      socket.pipe(upstream).pipe(socket);
    });
    const g = gateway(t, proxy.port, other.credentials);
    await assert.rejects(
      g.resolveMethod(TOKEN),
      isFailure('payment-unavailable', (e) => /certificate/.test(e.message)),
    );
    assert.equal(proxy.connections(), 1);
  });
});

describe('in-memory payment gateway (test double)', () => {
  it('answers like the service: stable refs, idempotent capture, declines, mismatches, conflicts', async (t) => {
    const g = new InMemoryPaymentGateway();
    t.after(() => g.close());
    const ref = await g.resolveMethod(TOKEN);
    assert.equal(ref.firstSeen, true);
    assert.equal((await g.resolveMethod(TOKEN)).methodRef, ref.methodRef);
    const other = new InMemoryPaymentGateway();
    t.after(() => other.close());
    assert.equal((await other.resolveMethod(TOKEN)).methodRef, ref.methodRef, 'deterministic');

    const sessionId = randomUUID();
    const base = { sessionId, amountCents: 500, currency: 'EUR' };
    assert.equal((await g.capture({ ...base, authToken: 'auth_paid_01' })).status, 'captured');
    assert.equal(
      (await g.capture({ ...base, sessionId: randomUUID(), authToken: 'decl_0001' })).status,
      'declined',
    );
    const mismatch = await g.capture({ ...base, sessionId: randomUUID(), authToken: 'a_b_amt400' });
    assert.deepEqual([mismatch.status, mismatch.capturedCents], ['amount-mismatch', 0]);
    await assert.rejects(
      g.capture({ ...base, authToken: 'another_01' }),
      isFailure('payment-refused', (e) => e.serviceError === 'conflict'),
    );
    await assert.rejects(
      g.capture({ ...base, authToken: '4111-1111-1111-1111' }),
      isFailure('payment-refused', (e) => e.serviceError === 'card-data-refused'),
    );
  });
});
