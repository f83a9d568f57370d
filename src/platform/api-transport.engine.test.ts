import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { connect } from 'node:tls';
import { fetchTrusting } from '../../test-support/api-client.js';
import { openssl, requireOpenssl } from '../../test-support/openssl.js';
import { fleetDataDir, startTestPlatform } from '../../test-support/platform.js';
import { tempDir } from '../../test-support/temp-dir.js';
import { readPlatformLock } from '../data-dir/platform-lock.js';
import { isFailure } from '../failure.js';

/** What a TLS client sees when it connects with `options`: the error code, or 'connected'. */
function handshake(url: string, options: { ca?: string; maxVersion?: 'TLSv1.1' }) {
  const { hostname, port } = new URL(url);
  return new Promise<string>((resolve) => {
    const socket = connect({
      host: '127.0.0.1',
      servername: hostname,
      port: Number(port),
      ...options,
    });
    socket.once('secureConnect', () => {
      socket.end();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('the API over HTTPS', () => {
  it('serves HTTPS (TLS 1.2 or later) by default with a certificate from the fleet CA for localhost and loopback', async (t) => {
    const data = await fleetDataDir(t);
    const platform = await startTestPlatform(t, data);
    assert.match(platform.apiUrl, /^https:\/\/localhost:[0-9]+$/);
    assert.equal(platform.apiTrust?.file, join(data, 'ca', 'trust-bundle.pem'));
    assert.equal(platform.apiTrust?.pem, await readFile(platform.apiTrust.file, 'utf8'));

    const trusting = fetchTrusting(platform.apiTrust.pem);
    const health = await trusting(`${platform.apiUrl}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, 'ok');

    await assert.rejects(fetch(`${platform.apiUrl}/healthz`), (error: Error) => {
      const cause = error.cause as NodeJS.ErrnoException | undefined;
      assert.equal(cause?.code, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', String(cause));
      return true;
    });

    const cert = new X509Certificate(await readFile(join(data, 'api', 'server.cert.pem')));
    for (const name of ['localhost']) assert.equal(cert.checkHost(name), name);
    for (const ip of ['127.0.0.1', '::1']) assert.equal(cert.checkIP(ip), ip);

    const ca = platform.apiTrust.pem;
    assert.equal(await handshake(platform.apiUrl, { ca }), 'connected');
    assert.notEqual(await handshake(platform.apiUrl, { ca, maxVersion: 'TLSv1.1' }), 'connected');

    const lock = await readPlatformLock(data);
    assert.equal(lock?.apiUrl, platform.apiUrl);
    assert.equal(lock?.apiCaFile, platform.apiTrust.file);
  });

  it("serves the operator's certificate and key when given, and names no CA to trust", async (t) => {
    if (!requireOpenssl(t)) return;
    const dir = await tempDir(t);
    const certFile = join(dir, 'api.cert.pem');
    const keyFile = join(dir, 'api.key.pem');
    const made = openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ]);
    assert.equal(made.status, 0, made.stderr);
    const data = await fleetDataDir(t);
    const platform = await startTestPlatform(t, data, {
      api: { host: '127.0.0.1', port: 0, transport: { kind: 'operator', certFile, keyFile } },
    });
    assert.match(platform.apiUrl, /^https:\/\/localhost:[0-9]+$/);
    assert.equal(platform.apiTrust, undefined);
    assert.equal((await readPlatformLock(data))?.apiCaFile, undefined);

    const operatorCa = await readFile(certFile, 'utf8');
    assert.equal((await fetchTrusting(operatorCa)(`${platform.apiUrl}/healthz`)).status, 200);
    const fleetCa = await readFile(join(data, 'ca', 'trust-bundle.pem'), 'utf8');
    await assert.rejects(fetchTrusting(fleetCa)(`${platform.apiUrl}/healthz`));
  });

  it("refuses to start with a key that is not the certificate's", async (t) => {
    if (!requireOpenssl(t)) return;
    const dir = await tempDir(t);
    const certFile = join(dir, 'api.cert.pem');
    const keyFile = join(dir, 'other.key.pem');
    const self = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
    const subject = ['-nodes', '-days', '2', '-subj', '/CN=localhost'];
    assert.equal(
      openssl([...self, ...subject, '-keyout', join(dir, 'k'), '-out', certFile]).status,
      0,
    );
    assert.equal(
      openssl([...self, ...subject, '-keyout', keyFile, '-out', join(dir, 'c')]).status,
      0,
    );
    const data = await fleetDataDir(t);
    await assert.rejects(
      startTestPlatform(t, data, {
        api: { host: '127.0.0.1', port: 0, transport: { kind: 'operator', certFile, keyFile } },
      }),
      (error) => isFailure(error) && error.code === 'api-certificate',
    );
    assert.equal(await readPlatformLock(data), undefined, 'nothing left running');
  });

  it('serves plain HTTP on loopback when asked, as http://localhost', async (t) => {
    const data = await fleetDataDir(t);
    const platform = await startTestPlatform(t, data, {
      api: { host: '127.0.0.1', port: 0, transport: { kind: 'http' } },
    });
    assert.match(platform.apiUrl, /^http:\/\/localhost:[0-9]+$/);
    assert.equal(platform.apiTrust, undefined);
    const health = await fetch(`${platform.apiUrl}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(health.headers.get('strict-transport-security'), null);
  });

  it('refuses plain HTTP on an address other machines reach', async (t) => {
    const data = await fleetDataDir(t);
    await assert.rejects(
      startTestPlatform(t, data, {
        api: { host: '0.0.0.0', port: 0, transport: { kind: 'http' } },
      }),
      (error) => isFailure(error) && error.code === 'api-http-not-loopback',
    );
    assert.equal(await readPlatformLock(data), undefined, 'nothing left running');
  });
});
