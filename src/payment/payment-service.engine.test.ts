import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateKeys } from '../../test-support/identity.js';
import {
  deviceTlsCredentials,
  provisionDevice,
  runCli,
  STORE,
} from '../../test-support/platform.js';
import { spawnFleetplane, type SpawnedCli } from '../../test-support/spawn-cli.js';
import { privateKeyPem } from '../edge/identity/ca/keys.js';
import { P256, x509 } from '../edge/identity/x509.js';
import {
  loadBridgeCredentials,
  type BridgeCredentials,
} from '../domain/payment-bridge/bridge-credentials.js';
import { BRIDGE_COMMON_NAME } from '../domain/payment-bridge/bridge-layout.js';
import { HttpsPaymentGateway } from '../domain/payment-bridge/https-payment-gateway.js';
import { PaymentGatewayFailure } from '../domain/payment-bridge/payment-gateway.js';
import { paymentLayout } from './payment-layout.js';
import { issueZoneLeaf } from './zone-certificates.js';

interface Tls {
  readonly key?: string;
  readonly cert?: string;
  readonly ca: string;
}

type Outcome =
  | { readonly status: number; readonly body: Record<string, unknown> }
  | { readonly error: NodeJS.ErrnoException };

/** One request on a fresh connection; a failed handshake or a dropped socket is an `error`. */
function send(url: string, tls: Tls, body?: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        ...tls,
        agent: false,
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
          }),
        );
      },
    );
    req.on('error', (error) => resolve({ error }));
    req.end(body);
  });
}

/** Refused below HTTP: a TLS alert or a socket the server closed, and no status at all. */
function assertRefusedAtTls(outcome: Outcome, who: string) {
  assert.ok(
    'error' in outcome,
    `${who}: expected a TLS or socket error, got HTTP ${JSON.stringify(outcome)}`,
  );
  assert.match(
    outcome.error.code ?? '',
    /^(ECONNRESET|EPIPE|EPROTO|ERR_SSL_[A-Z0-9_]+)$/,
    `${who}: ${outcome.error.code} ${outcome.error.message}`,
  );
}

const PANS = ['4111111111111111', '5555555555554444'];
const forms = (pan: string) => [
  pan,
  pan.replace(/(.{4})/g, '$1 ').trim(),
  pan.replace(/(.{4})/g, '$1-').slice(0, -1),
];

// `fleetplane payment serve` as its own process, reached only by the bridge credential.
describe('payment service process', () => {
  let data: string;
  let service: SpawnedCli;
  let url: string;
  let bridge: BridgeCredentials;
  let gateway: HttpsPaymentGateway;

  before(async () => {
    data = await mkdtemp(join(tmpdir(), 'fleet-payment-'));
    await runCli('ca', 'init', '--data', data);
    await runCli('store', 'add', '--data', data, '--id', STORE, '--name', 'Berlin 1');
    const init = spawnFleetplane(['payment', 'init', '--data', data]);
    assert.equal(await init.exited(), 0, init.stdout() + init.stderr());
    service = spawnFleetplane(['payment', 'serve', '--data', data, '--port', '0']);
    url = (await service.waitFor(/^payment service listening on (https:\/\/\S+)$/m))[1]!;
    bridge = await loadBridgeCredentials(data);
    gateway = new HttpsPaymentGateway({ url, credentials: bridge, retryDelayMs: 10 });
  });

  after(async () => {
    await gateway?.close();
    await service?.stop();
    if (data) await rm(data, { recursive: true, force: true });
  });

  it('resolves a token through the bridge to a stable reference, first seen once', async () => {
    const token = 'tok_Engine0Test1Token2AB';
    const first = await gateway.resolveMethod(token);
    assert.match(first.methodRef, /^pm_[0-9a-f]{32}$/);
    assert.equal(first.firstSeen, true);
    assert.deepEqual(await gateway.resolveMethod(token), {
      methodRef: first.methodRef,
      firstSeen: false,
    });
  });

  it('captures once per session, answers a repeat with the same result and refuses a different amount', async () => {
    const request = {
      sessionId: randomUUID(),
      authToken: 'auth_engine_01',
      amountCents: 4_250,
      currency: 'EUR',
    };
    const paid = await gateway.capture(request);
    assert.equal(paid.status, 'captured');
    assert.equal(paid.capturedCents, 4_250);
    assert.deepEqual(await gateway.capture(request), paid);
    await assert.rejects(
      gateway.capture({ ...request, amountCents: 4_000 }),
      (e) =>
        e instanceof PaymentGatewayFailure &&
        e.code === 'payment-refused' &&
        e.serviceError === 'conflict',
    );
  });

  it('reports an amount mismatch and a decline', async () => {
    const mismatch = await gateway.capture({
      sessionId: randomUUID(),
      authToken: 'auth_engine_amt4000',
      amountCents: 4_250,
      currency: 'EUR',
    });
    assert.deepEqual(
      { ...mismatch, paymentRef: 'x' },
      { status: 'amount-mismatch', paymentRef: 'x', capturedCents: 0 },
    );
    const declined = await gateway.capture({
      sessionId: randomUUID(),
      authToken: 'decl_engine_01',
      amountCents: 4_250,
      currency: 'EUR',
    });
    assert.equal(declined.status, 'declined');
    assert.equal(declined.capturedCents, 0);
  });

  it('refuses a fleet device certificate at the TLS handshake', async () => {
    const device = await deviceTlsCredentials(await provisionDevice(data, 'CART-0901'));
    const outcome = await send(`${url}/v1/healthz`, {
      key: device.key,
      cert: device.cert,
      ca: bridge.caPem,
    });
    assertRefusedAtTls(outcome, 'fleet device');
  });

  it('refuses a client without a certificate at the TLS handshake', async () => {
    assertRefusedAtTls(await send(`${url}/v1/healthz`, { ca: bridge.caPem }), 'no certificate');
  });

  it("refuses a self-signed certificate with the bridge's name at the TLS handshake", async () => {
    const keys = await generateKeys();
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01',
      name: `CN=${BRIDGE_COMMON_NAME}`,
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 86_400_000),
      signingAlgorithm: P256,
      keys,
      extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
    });
    const outcome = await send(`${url}/v1/healthz`, {
      key: await privateKeyPem(keys.privateKey),
      cert: cert.toString('pem'),
      ca: bridge.caPem,
    });
    assertRefusedAtTls(outcome, 'self-signed');
  });

  it('drops a second certificate of the payment CA that is not the pinned one, and counts every refusal', async () => {
    const layout = paymentLayout(data);
    const ca = {
      keyPem: await readFile(layout.caKey, 'utf8'),
      certPem: await readFile(layout.caCert, 'utf8'),
    };
    const impostor = await issueZoneLeaf(
      ca,
      { usage: 'client', commonName: BRIDGE_COMMON_NAME },
      new Date(),
    );
    const outcome = await send(`${url}/v1/healthz`, {
      key: impostor.keyPem,
      cert: impostor.certPem,
      ca: bridge.caPem,
    });
    assertRefusedAtTls(outcome, 'second payment-CA certificate');

    const health = await send(`${url}/v1/healthz`, {
      key: bridge.keyPem,
      cert: bridge.certPem,
      ca: bridge.caPem,
    });
    assert.ok('status' in health && health.status === 200, JSON.stringify(health));
    const refusals = health.body['refusals'] as { tls: number; pin: number };
    // The service's own count tells which layer refused: the fleet device, the missing and the
    // self-signed certificate in the handshake, only the second payment-CA certificate by the pin.
    assert.deepEqual({ tls: refusals.tls, pin: refusals.pin }, { tls: 3, pin: 1 });
  });

  it('answers 400 with the reason for a malformed body', async () => {
    const tls = { key: bridge.keyPem, cert: bridge.certPem, ca: bridge.caPem };
    const outcome = await send(
      `${url}/v1/authorizations/capture`,
      tls,
      JSON.stringify({
        session_id: randomUUID(),
        auth_token: 'auth_engine_02',
        amount_cents: 12.5,
        currency: 'EUR',
      }),
    );
    assert.ok('status' in outcome);
    assert.equal(outcome.status, 400);
    assert.deepEqual(outcome.body, {
      error: 'bad-request',
      message: 'body/amount_cents must be integer',
    });
  });

  it('refuses card numbers anywhere with 422, and none reaches its database, files or logs', async () => {
    const tls = { key: bridge.keyPem, cert: bridge.certPem, ca: bridge.caPem };
    const sessionId = randomUUID();
    const bodies = [
      JSON.stringify({ payment_token: 'tok_Engine0Test1Token2AB', card: '4111 1111 1111 1111' }),
      JSON.stringify({
        session_id: sessionId,
        auth_token: '5555-5555-5555-4444',
        amount_cents: 1,
        currency: 'EUR',
      }),
      JSON.stringify({
        session_id: sessionId,
        auth_token: 'auth_engine_03',
        amount_cents: 1,
        currency: 'EUR',
        meta: [{ n: 4111111111111111 }],
      }),
      `{"session_id": "${sessionId}", "pan": "5555555555554444"`,
    ];
    const paths = ['$.card', '$.auth_token', '$.meta[0].n', '$'];
    for (const [i, body] of bodies.entries()) {
      const route = i === 0 ? '/v1/payment-methods/resolve' : '/v1/authorizations/capture';
      const outcome = await send(`${url}${route}`, tls, body);
      assert.ok('status' in outcome, JSON.stringify(outcome));
      assert.equal(outcome.status, 422);
      assert.equal(outcome.body['error'], 'card-data-refused');
      assert.match(
        String(outcome.body['message']),
        new RegExp(`^field ${paths[i]!.replace(/[$[\]]/g, '\\$&')} `),
      );
      for (const pan of PANS) assert.ok(!String(outcome.body['message']).includes(pan.slice(-4)));
    }

    assert.equal(await service.stop('SIGTERM'), 0, 'stops cleanly on SIGTERM');
    assert.match(service.stdout(), /SIGTERM: stopping…\nStopped\.\n$/);
    const logs = service.stdout() + service.stderr();
    assert.match(
      logs,
      /"refusal":"card_data".*"path":"\$\.meta\[0\]\.n"/,
      'the refusals were logged',
    );
    const files = (await readdir(paymentLayout(data).dir, { recursive: true })).map(String);
    assert.ok(files.includes('payment.db'), files.join(', '));
    const db = await stat(paymentLayout(data).db);
    assert.equal(db.mode & 0o777, 0o600, 'the database is readable by its owner only');
    const stored = await Promise.all(
      files.map(async (f) =>
        (await readFile(join(paymentLayout(data).dir, f)).catch(() => Buffer.alloc(0))).toString(
          'latin1',
        ),
      ),
    );
    for (const pan of PANS) {
      for (const form of forms(pan)) {
        assert.ok(!logs.includes(form), `the log holds ${form}`);
        for (const [i, content] of stored.entries())
          assert.ok(!content.includes(form), `${files[i]} holds ${form}`);
      }
    }
  });
});
