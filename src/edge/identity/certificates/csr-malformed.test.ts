import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateKeys, makeCsr } from '../../../../test-support/identity.js';
import { IdentityFailure } from '../errors.js';
import { pemBlocks } from '../pem.js';
import { x509 } from '../x509.js';
import { verifyCsr } from './csr.js';

const REFUSALS = new Set([
  'malformed-csr',
  'wrong-curve',
  'csr-signature-invalid',
  'csr-subject-mismatch',
]);

/** A small deterministic generator (mulberry32), so a failing case can be replayed by its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Whatever the bytes, verifyCsr either refuses with one of its codes or accepts, and it can only
 * accept the very key the unaltered CSR carries: never a crash, never another key.
 */
async function refusedOrSameKey(bytes: Uint8Array, original: Buffer, label: string) {
  try {
    const verified = await verifyCsr(bytes, { expectedCommonName: 'SN-1' });
    assert.deepEqual(verified.publicKeySpki, original, `${label}: accepted another key`);
  } catch (error) {
    assert.ok(error instanceof IdentityFailure, `${label}: threw ${String(error)}`);
    assert.ok(REFUSALS.has(error.code), `${label}: ${error.code}`);
  }
}

async function csrDer(commonName = 'SN-1'): Promise<{ der: Buffer; spki: Buffer }> {
  const { pem } = await makeCsr(commonName);
  const der = Buffer.from(pemBlocks(pem)[0]!.der);
  const spki = (await verifyCsr(der, { expectedCommonName: commonName })).publicKeySpki;
  return { der, spki };
}

describe('verifyCsr on damaged and unusual requests', () => {
  it('refuses every truncation of a CSR', async () => {
    const { der, spki } = await csrDer();
    for (let length = 0; length < der.length; length++) {
      await assert.rejects(
        verifyCsr(der.subarray(0, length), { expectedCommonName: 'SN-1' }),
        (error: unknown) => error instanceof IdentityFailure && REFUSALS.has(error.code),
        `truncated to ${length}`,
      );
    }
    await refusedOrSameKey(der, spki, 'whole');
  });

  it('refuses or keeps the key under random bit flips, byte swaps and garbage tails', async () => {
    const { der, spki } = await csrDer();
    for (let seed = 1; seed <= 400; seed++) {
      const next = random(seed);
      const damaged = Buffer.from(der);
      const flips = 1 + Math.floor(next() * 4);
      for (let i = 0; i < flips; i++) {
        const at = Math.floor(next() * damaged.length);
        damaged[at] =
          next() < 0.5 ? damaged[at]! ^ (1 << Math.floor(next() * 8)) : Math.floor(next() * 256);
      }
      await refusedOrSameKey(damaged, spki, `seed ${seed}`);
      const tail = Buffer.from(
        Array.from({ length: 1 + Math.floor(next() * 8) }, () => Math.floor(next() * 256)),
      );
      await refusedOrSameKey(Buffer.concat([der, tail]), spki, `seed ${seed} with a tail`);
    }
  });

  it('refuses bytes after the request and a BER indefinite length', async () => {
    const { der } = await csrDer();
    await assert.rejects(
      verifyCsr(Buffer.concat([der, Buffer.of(0)]), { expectedCommonName: 'SN-1' }),
      (error: unknown) => error instanceof IdentityFailure && error.code === 'malformed-csr',
    );
    const indefinite = Buffer.concat([Buffer.of(0x30, 0x80), der.subarray(4), Buffer.of(0, 0)]);
    await assert.rejects(
      verifyCsr(indefinite, { expectedCommonName: 'SN-1' }),
      (error: unknown) => error instanceof IdentityFailure && error.code === 'malformed-csr',
    );
  });

  it('accepts a P-256 request signed with SHA-384 whose CN is a UTF8String', async () => {
    const keys = await generateKeys('P-256');
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({
      name: 'CN=SN_1',
      keys,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-384' },
    });
    const verified = await verifyCsr(csr.toString('pem'), { expectedCommonName: 'SN_1' });
    assert.equal(verified.commonName, 'SN_1');
  });

  it('refuses a request with two CNs, even when one is the serial', async () => {
    const keys = await generateKeys('P-256');
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({
      name: 'CN=SN-1, CN=SN-2',
      keys,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    });
    await assert.rejects(
      verifyCsr(csr.toString('pem'), { expectedCommonName: 'SN-1' }),
      (error: unknown) => error instanceof IdentityFailure && error.code === 'csr-subject-mismatch',
    );
  });

  it('accepts a request without a CN, and one carrying extension attributes', async () => {
    const keys = await generateKeys('P-256');
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({
      name: 'O=factory',
      keys,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
    });
    const verified = await verifyCsr(csr.toString('pem'), { expectedCommonName: 'SN-1' });
    assert.equal(verified.commonName, undefined);
  });
});
