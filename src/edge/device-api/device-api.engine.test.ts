import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request } from 'node:https';
import { describe, it } from 'node:test';
import { TestDevice } from '../../../test-support/entity-events.js';
import {
  deviceTlsCredentials,
  eventually,
  fleetDataDir,
  provisionDevice,
  runCli,
  suitePlatform,
} from '../../../test-support/platform.js';
import { DEVICE_API_PATHS, validateDocument, type CatalogSnapshot } from '../../contract/index.js';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One HTTPS GET on a fresh connection (no keep-alive), as a cart makes it. */
function get(
  url: string,
  tls: { key?: string; cert?: string; ca: string },
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ...tls, agent: false, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

// The device API of a running platform over real mutual TLS.
describe('device API', () => {
  // Both tests share one platform; each uses a device of its own.
  const dirs: Record<string, string> = {};
  const shared = suitePlatform(async (data) => {
    for (const id of ['CART-0601', 'CART-0602']) dirs[id] = await provisionDevice(data, id);
  });

  it("serves the device's store catalog, top items first, with its version as ETag and 304 when unchanged", async () => {
    const { platform } = shared();
    const dir = dirs['CART-0601']!;
    await platform.entities.upsertCatalogItems('berlin-1', [
      { sku: 'SKU-A', barcode: '4000000000017', name: 'Apples', priceCents: 199, weightG: 1000 },
      { sku: 'SKU-B', barcode: '4000000000024', name: 'Bread', priceCents: 249 },
      { sku: 'SKU-C', name: 'Loose coffee (no barcode)', priceCents: 899 },
    ]);
    await platform.entities.upsertCatalogItems('paris-1', [
      { sku: 'SKU-P', barcode: '4000000000031', name: 'Pain', priceCents: 150 },
    ]);
    const cart = new TestDevice('CART-0601', 'berlin-1');
    const session_id = randomUUID();
    const now = Date.now();
    await platform.entities.project(
      [
        cart.event('session-start', { session_id }),
        cart.event('scan', { session_id, sku: 'SKU-B', barcode: '4000000000024' }),
      ].map((e) => ({ ...e, deviceTime: now })),
    );

    const tls = await deviceTlsCredentials(dir);
    const url = `${platform.deviceApiUrl}${DEVICE_API_PATHS.catalog}`;
    const first = await get(url, tls);
    assert.equal(first.status, 200, first.body);
    const snapshot = JSON.parse(first.body) as CatalogSnapshot;
    const checked = validateDocument('catalog', snapshot);
    assert.ok(checked.ok, checked.ok ? '' : checked.detail);
    assert.equal(snapshot.store_id, 'berlin-1');
    assert.deepEqual(
      snapshot.items.map((i) => i.sku),
      ['SKU-B', 'SKU-A'],
      'most added first, then by sku; items without a barcode left out',
    );
    assert.deepEqual(snapshot.items[1], {
      sku: 'SKU-A',
      barcode: '4000000000017',
      name: 'Apples',
      price_cents: 199,
      weight_g: 1000,
    });
    assert.equal(first.headers['etag'], `"${snapshot.version}"`);

    const again = await get(url, tls, { 'if-none-match': `"${snapshot.version}"` });
    assert.equal(again.status, 304);
    assert.equal(again.body, '');
    const stale = await get(url, tls, { 'if-none-match': '"something-older"' });
    assert.equal(stale.status, 200);

    const missing = await get(url.replace('/catalog', '/nothing'), tls);
    assert.equal(missing.status, 404);
    assert.equal((JSON.parse(missing.body) as { error: string }).error, 'not-found');
  });

  it('refuses a client without a certificate, with a certificate of another CA, and after revoke', async (t) => {
    const { data, platform } = shared();
    const dir = dirs['CART-0602']!;
    const url = `${platform.deviceApiUrl}${DEVICE_API_PATHS.catalog}`;
    const tls = await deviceTlsCredentials(dir);
    assert.equal((await get(url, tls)).status, 200);

    await assert.rejects(get(url, { ca: tls.ca }), 'no client certificate');

    const otherFleet = await fleetDataDir(t);
    const stranger = await deviceTlsCredentials(await provisionDevice(otherFleet, 'CART-0602'));
    await assert.rejects(
      get(url, { key: stranger.key, cert: stranger.cert, ca: tls.ca }),
      'a certificate from another fleet CA',
    );

    await runCli('revoke', '--data', data, '--serial', 'CART-0602', '--reason', 'keyCompromise');
    await eventually(
      () =>
        get(url, tls).then(
          (answer) => (answer.status === 403 ? true : undefined),
          () => true,
        ),
      'the revoked device to be refused',
    );
    // The registry and the watcher refuse it at once (403); new handshakes fail once the
    // server's TLS context has the new CRL.
    await eventually(
      () =>
        get(url, tls).then(
          () => undefined,
          () => true,
        ),
      'the handshake to refuse the revoked certificate',
    );
  });
});
