import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { describe, it } from 'node:test';
import { makeCsr } from '../../../../test-support/identity.js';
import { isFailure } from '../../../shared/failure.js';
import { pemBlocks } from '../pem.js';
import { subtle } from '../x509.js';
import { verifyCsr } from './csr.js';

const failsWith = (code: string, message?: RegExp) => (error: unknown) => {
  assert.ok(isFailure(error), String(error));
  assert.equal(error.code, code);
  if (message) assert.match(error.message, message);
  return true;
};

describe('verifyCsr', () => {
  it('accepts a P-256 CSR whose CN is the serial and returns its key', async () => {
    const { pem, keys } = await makeCsr('SN-1');
    const verified = await verifyCsr(pem, { expectedCommonName: 'SN-1' });
    const spki = Buffer.from(await subtle.exportKey('spki', keys.publicKey));
    assert.deepEqual(verified.publicKeySpki, spki);
    assert.equal(verified.commonName, 'SN-1');
  });

  it('accepts the same CSR as DER', async () => {
    const { pem } = await makeCsr('SN-1');
    const der = pemBlocks(pem)[0]!.der;
    const verified = await verifyCsr(der, { expectedCommonName: 'SN-1' });
    assert.equal(
      createPublicKey({ key: verified.publicKeySpki, format: 'der', type: 'spki' })
        .asymmetricKeyDetails?.namedCurve,
      'prime256v1',
    );
  });

  it('refuses a P-384 CSR with wrong-curve, naming the curve', async () => {
    const { pem } = await makeCsr('SN-1', { kind: 'P-384' });
    await assert.rejects(
      verifyCsr(pem, { expectedCommonName: 'SN-1' }),
      failsWith('wrong-curve', /secp384r1/),
    );
  });

  it('refuses an RSA CSR with wrong-curve, naming RSA', async () => {
    const { pem } = await makeCsr('SN-1', { kind: 'RSA' });
    await assert.rejects(
      verifyCsr(pem, { expectedCommonName: 'SN-1' }),
      failsWith('wrong-curve', /RSA 2048/),
    );
  });

  it('refuses garbage with malformed-csr', async () => {
    for (const input of [
      'hello',
      '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n',
      '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
      new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]),
      '',
    ]) {
      await assert.rejects(
        verifyCsr(input, { expectedCommonName: 'SN-1' }),
        failsWith('malformed-csr'),
      );
    }
  });

  it('refuses a CSR whose signature was tampered with (no proof of possession)', async () => {
    const { pem } = await makeCsr('SN-1');
    const der = Buffer.from(pemBlocks(pem)[0]!.der);
    // The last byte belongs to the signature's s value: the structure stays valid.
    der.writeUInt8(der.readUInt8(der.length - 1) ^ 0x01, der.length - 1);
    await assert.rejects(
      verifyCsr(der, { expectedCommonName: 'SN-1' }),
      failsWith('csr-signature-invalid'),
    );
  });

  it('refuses a CSR whose signed subject was altered', async () => {
    const { pem } = await makeCsr('SN-1');
    const der = Buffer.from(pemBlocks(pem)[0]!.der);
    const at = der.indexOf(Buffer.from('SN-1'));
    der[at + 3] = '2'.charCodeAt(0);
    await assert.rejects(
      verifyCsr(der, { expectedCommonName: 'SN-2' }),
      failsWith('csr-signature-invalid'),
    );
  });

  it('refuses a CSR whose CN is another serial', async () => {
    const { pem } = await makeCsr('SN-2');
    await assert.rejects(
      verifyCsr(pem, { expectedCommonName: 'SN-1' }),
      failsWith('csr-subject-mismatch', /SN-2/),
    );
  });
});
