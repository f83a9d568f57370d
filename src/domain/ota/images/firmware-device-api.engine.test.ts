import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:https';
import { describe, it } from 'node:test';
import { deviceRequest, type DeviceTls } from '../../../../test-support/device-https.js';
import {
  deviceTlsCredentials,
  provisionDevice,
  suitePlatform,
} from '../../../../test-support/platform.js';
import { DEVICE_API_PATHS, validateDocument, type ServerTime } from '../../../contract/index.js';

/** One GET keeping the body as bytes (an image is not text). */
function download(
  url: string,
  tls: DeviceTls,
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ...tls, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const errorOf = (body: Buffer | string) => (JSON.parse(body.toString()) as { error: string }).error;

// The OTA routes of the device API of a running platform, with a real device over mutual TLS.
describe('device API: server time and firmware downloads', () => {
  // Both tests share one platform; each uses a device of its own.
  const dirs: Record<string, string> = {};
  const shared = suitePlatform(async (data) => {
    for (const id of ['CART-0801', 'CART-0802']) dirs[id] = await provisionDevice(data, id);
  });

  it('answers the server-time challenge with its nonce and the platform clock; refuses a bad nonce', async () => {
    const { platform } = shared();
    const tls = await deviceTlsCredentials(dirs['CART-0801']!);
    const url = `${platform.deviceApiUrl}${DEVICE_API_PATHS.serverTime}`;
    const post = (body: string) =>
      deviceRequest(url, tls, {
        method: 'POST',
        body: Buffer.from(body),
        headers: { 'content-type': 'application/json' },
      });

    const nonce = randomBytes(24).toString('base64url');
    const before = Date.now();
    const answer = await post(JSON.stringify({ nonce }));
    const after = Date.now();
    assert.equal(answer.status, 200, answer.body);
    const time = JSON.parse(answer.body) as ServerTime;
    const checked = validateDocument('server-time', time);
    assert.ok(checked.ok, checked.ok ? '' : checked.detail);
    assert.equal(time.nonce, nonce);
    const at = Date.parse(time.server_time);
    assert.ok(at >= before - 1 && at <= after + 1, 'the platform clock at the time of asking');
    assert.equal(answer.headers['cache-control'], 'no-store');

    for (const bad of [
      JSON.stringify({ nonce: 'short' }),
      JSON.stringify({ nonce: 'x'.repeat(65) }),
      '{}',
      JSON.stringify({ nonce: 'a+b/c=d'.repeat(4) }),
    ]) {
      const refused = await post(bad);
      assert.equal(refused.status, 400, bad);
      assert.equal(errorOf(refused.body), 'bad-request');
    }
    await assert.rejects(
      deviceRequest(url, { ca: tls.ca }, { method: 'POST', body: Buffer.from('{}') }),
      'no client certificate, no time',
    );
  });

  it('streams an image through a signed URL; refuses an altered, expired or malformed one (403) and an unknown image (404), counting each', async () => {
    const { platform } = shared();
    const tls = await deviceTlsCredentials(dirs['CART-0802']!);
    const image = randomBytes(300_000);
    const stored = await platform.ota.images.put(image);
    assert.equal(stored.imageId, createHash('sha256').update(image).digest('hex'));

    const { url, expiresAt } = platform.ota.urls.mint(stored.imageId, Date.now());
    assert.ok(url.startsWith(`${platform.deviceApiUrl}${DEVICE_API_PATHS.firmware}/`), url);
    assert.ok(expiresAt > Date.now());
    const got = await download(url, tls);
    assert.equal(got.status, 200);
    assert.equal(got.headers['content-type'], 'application/octet-stream');
    assert.equal(got.headers['content-length'], String(image.length));
    assert.ok(got.body.equals(image), 'the exact bytes');

    const refused = async (target: string, status: number, error: string) => {
      const answer = await download(target, tls);
      assert.equal(answer.status, status, target);
      assert.equal(errorOf(answer.body), error, target);
    };
    const sig = new URL(url).searchParams.get('sig')!;
    const otherSig = (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1);
    await refused(url.replace(sig, otherSig), 403, 'url-signature');
    await refused(
      url.replace(`expires=${expiresAt}`, `expires=${expiresAt + 60_000}`),
      403,
      'url-signature',
    );
    await refused(url.split('?')[0]!, 403, 'url-malformed');
    const expired = platform.ota.urls.mint(stored.imageId, Date.now() - 3_600_000);
    await refused(expired.url, 403, 'url-expired');
    const unknown = platform.ota.urls.mint(
      createHash('sha256').update('nothing').digest('hex'),
      Date.now(),
    );
    await refused(unknown.url, 404, 'not-found');
    // Another image's id under this URL's signature.
    await refused(
      url.replace(stored.imageId, createHash('sha256').update('other').digest('hex')),
      403,
      'url-signature',
    );

    await assert.rejects(download(url, { ca: tls.ca }), 'no client certificate, no firmware');

    const metrics = await platform.metrics.text();
    const count = (outcome: string) =>
      Number(
        new RegExp(`fleetplane_firmware_downloads_total\\{outcome="${outcome}"\\} (\\d+)`).exec(
          metrics,
        )?.[1] ?? 0,
      );
    assert.equal(count('served'), 1);
    assert.equal(count('url-signature'), 3);
    assert.equal(count('url-malformed'), 1);
    assert.equal(count('url-expired'), 1);
    assert.equal(count('unknown-image'), 1);
  });
});
