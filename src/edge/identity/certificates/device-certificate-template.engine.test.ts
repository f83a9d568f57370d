import assert from 'node:assert/strict';
import { KeyObject, generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { testFleet } from '../../../../test-support/identity.js';
import { openssl, requireOpenssl } from '../../../../test-support/openssl.js';
import { tempDir } from '../../../../test-support/temp-dir.js';
import type { DeviceId, StoreId } from '../../../contract/ids.js';
import { loadFleetCa } from '../ca/fleet-ca.js';
import { loadSigningKey } from '../ca/generation.js';
import { randomSerialHex } from '../ca/profile.js';
import { deviceCertificateValidity } from './device-certificate.js';
import { DeviceCertificateTemplate, certificatePem } from './device-certificate-template.js';
import { issueDeviceCertificateWithLibrary } from './reference-device-certificate.js';

/** `openssl x509 -text` without the signature's bytes, the one field that differs (ECDSA is randomised). */
function textWithoutSignatureValue(path: string): string {
  const text = openssl(['x509', '-in', path, '-noout', '-text']);
  assert.equal(text.status, 0, text.stderr);
  return text.stdout.replace(/Signature Value:[\s\S]*$/, 'Signature Value: …');
}

// Real time: openssl verify checks validity against the system clock.
describe('the DER template, read by openssl', () => {
  it('prints every field as the X.509 library’s certificate does, and verifies against the chain', async (t) => {
    if (!requireOpenssl(t)) return;
    const fleet = await testFleet(t, { start: new Date() });
    const ca = await loadFleetCa(fleet.ctx.layout);
    const signingKey = await loadSigningKey(ca.newest.issuing);
    const request = {
      deviceId: 'line_7.SN-0042' as DeviceId,
      storeId: 'store-1' as StoreId,
      deviceClass: 'tool' as const,
      publicKeySpki: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({
        format: 'der',
        type: 'spki',
      }),
      now: fleet.clock.now(),
      signingKey,
    };
    const serialHex = randomSerialHex();
    const reference = await issueDeviceCertificateWithLibrary(ca, request, serialHex);
    const der = await new DeviceCertificateTemplate(ca.newest.issuing).issue(
      {
        ...request,
        serialHex,
        publicKeySpki: Buffer.from(request.publicKeySpki),
        ...deviceCertificateValidity(ca.newest, request),
      },
      KeyObject.from(signingKey),
    );

    const dir = await tempDir(t);
    const path = (name: string) => join(dir, name);
    await writeFile(path('library.pem'), reference.pem);
    await writeFile(path('template.pem'), certificatePem(der));
    await writeFile(path('trust.pem'), ca.trustBundlePem(fleet.clock.now()));
    await writeFile(path('chain.pem'), ca.newest.issuing.pem);

    const fromTemplate = textWithoutSignatureValue(path('template.pem'));
    assert.equal(fromTemplate, textWithoutSignatureValue(path('library.pem')));
    assert.match(fromTemplate, /URI:urn:fleetplane:device:line_7.SN-0042/);

    for (const name of ['library.pem', 'template.pem']) {
      const verify = openssl([
        'verify',
        '-CAfile',
        path('trust.pem'),
        '-untrusted',
        path('chain.pem'),
        '-purpose',
        'sslclient',
        path(name),
      ]);
      assert.equal(verify.status, 0, verify.stderr);
      assert.match(verify.stdout, /: OK/);
    }
  });
});
