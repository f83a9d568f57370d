import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { fleetDataDir, startTestPlatform } from '../../test-support/platform.js';
import { tempDir } from '../../test-support/temp-dir.js';
import type { RunningPlatform } from '../platform/platform.js';
import { CONTENT_SECURITY_POLICY } from './security-headers.js';

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** One GET with exactly these headers (fetch would add accept-encoding and decompress). */
function get(
  platform: RunningPlatform,
  path: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const url = new URL(path, platform.apiUrl);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        agent: false,
        headers,
        // The certificate is checked against the URL's host even when the Host header names another.
        servername: url.hostname,
        ...(platform.apiTrust ? { ca: platform.apiTrust.pem } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const INDEX =
  '<!doctype html><title>fleetplane</title><script type="module" src="/assets/app-3f2a1b9c.js"></script>\n';
const APP = `console.log(${JSON.stringify('fleetplane console '.repeat(200))});\n`;

/** A build as Vite writes it: index.html, hashed assets, and .br/.gz siblings of the big ones. */
async function webDist(t: Parameters<typeof tempDir>[0]): Promise<string> {
  const dist = await tempDir(t, 'web-dist-');
  await mkdir(join(dist, 'assets'));
  await writeFile(join(dist, 'index.html'), INDEX);
  await writeFile(join(dist, 'assets', 'app-3f2a1b9c.js'), APP);
  await writeFile(join(dist, 'assets', 'app-3f2a1b9c.js.br'), brotliCompressSync(APP));
  await writeFile(join(dist, 'assets', 'app-3f2a1b9c.js.gz'), gzipSync(APP));
  return dist;
}

function assertSecurityHeaders(answer: Answer, what: string) {
  assert.equal(answer.headers['content-security-policy'], CONTENT_SECURITY_POLICY, what);
  assert.equal(answer.headers['x-content-type-options'], 'nosniff', what);
  assert.equal(answer.headers['referrer-policy'], 'no-referrer', what);
}

describe('the console at /', () => {
  it('serves the built web app with its page fallback, caching, precompression and security headers', async (t) => {
    const data = await fleetDataDir(t);
    const platform = await startTestPlatform(t, data, {}, { api: { webDist: await webDist(t) } });

    await t.test('its pages are index.html, revalidated on every load', async () => {
      const pages = ['/', '/signin', '/staff', '/staff/carts/CART-1', '/ops', '/ops/rollouts/r-1'];
      for (const page of [...pages, '/app', '/app/receipts/x', '/docs', '/docs/']) {
        const answer = await get(platform, page);
        assert.equal(answer.status, 200, page);
        assert.equal(answer.body.toString(), INDEX, page);
        assert.match(String(answer.headers['content-type']), /^text\/html/, page);
        assert.equal(answer.headers['cache-control'], 'no-cache', page);
      }
    });

    await t.test(
      'hashed assets are immutable for a year, br or gzip when the client takes it',
      async () => {
        const path = '/assets/app-3f2a1b9c.js';
        const br = await get(platform, path, { 'accept-encoding': 'gzip, br' });
        assert.equal(br.status, 200);
        assert.equal(br.headers['content-encoding'], 'br');
        assert.deepEqual(br.body, brotliCompressSync(APP));
        assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
        assert.match(String(br.headers['content-type']), /javascript/);
        assert.match(String(br.headers['vary']), /accept-encoding/i);

        const gzip = await get(platform, path, { 'accept-encoding': 'gzip' });
        assert.equal(gzip.headers['content-encoding'], 'gzip');
        assert.deepEqual(gzip.body, gzipSync(APP));

        const plain = await get(platform, path);
        assert.equal(plain.headers['content-encoding'], undefined);
        assert.equal(plain.body.toString(), APP);
        assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
      },
    );

    await t.test('anything else keeps the JSON 404, unknown /v1 paths included', async () => {
      for (const path of ['/v1/nothing-here', '/assets/app-00000000.js', '/elsewhere']) {
        const answer = await get(platform, path);
        assert.equal(answer.status, 404, path);
        assert.equal((JSON.parse(answer.body.toString()) as { error: string }).error, 'not-found');
        assertSecurityHeaders(answer, path);
      }
    });

    await t.test('every response carries the security headers; HSTS to a named host', async () => {
      for (const path of [
        '/',
        '/assets/app-3f2a1b9c.js',
        '/healthz',
        '/openapi.json',
        '/v1/carts',
      ]) {
        const answer = await get(platform, path);
        assertSecurityHeaders(answer, path);
        // A browser pins HSTS per host name: not for localhost, shared by every local server.
        assert.equal(answer.headers['strict-transport-security'], undefined, path);
      }
      assert.equal((await get(platform, '/v1/carts')).status, 401);
      const port = new URL(platform.apiUrl).port;
      const named = await get(platform, '/healthz', { host: `fleet.example:${port}` });
      assert.equal(named.headers['strict-transport-security'], 'max-age=31536000');
      assertSecurityHeaders(named, 'a named host');
    });
  });

  it('without a build, its pages answer 503 saying how to build it, and the API still works', async (t) => {
    const data = await fleetDataDir(t);
    const platform = await startTestPlatform(
      t,
      data,
      { api: { host: '127.0.0.1', port: 0, transport: { kind: 'http' } } },
      { api: { webDist: join(await tempDir(t), 'missing') } },
    );
    for (const page of ['/', '/ops', '/staff/carts/CART-1']) {
      const answer = await get(platform, page);
      assert.equal(answer.status, 503, page);
      assert.match(String(answer.headers['content-type']), /^text\/plain/);
      assert.match(answer.body.toString(), /npm run build:web/);
      assertSecurityHeaders(answer, page);
    }
    const unknown = await get(platform, '/v1/nothing-here');
    assert.equal(unknown.status, 404);
    assert.equal((await get(platform, '/healthz')).status, 200);
    const port = new URL(platform.apiUrl).port;
    const named = await get(platform, '/healthz', { host: `fleet.example:${port}` });
    assert.equal(named.headers['strict-transport-security'], undefined, 'no HSTS over plain HTTP');
  });
});
