import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { signManifest } from '../../../src/ota/signing/signed-manifest.js';
import { readManifestFile, sha256Hex } from './manifest-file.js';

describe('the OTA manifest file in the page', () => {
  it('reads what ota build writes and shows the signed version, class and hash', () => {
    const image = Buffer.from('firmware image bytes');
    const sha256 = createHash('sha256').update(image).digest('hex');
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const manifest = {
      schema_version: 1,
      device_class: 'cart',
      version: '1.5.0',
      sha256,
      size: image.length,
      hardware_revs: ['rev-b'],
      min_ca_generation: 1,
    } as unknown as Parameters<typeof signManifest>[0];
    const file = signManifest(manifest, privateKey);
    const read = readManifestFile(JSON.stringify(file));
    assert.ok(typeof read === 'object');
    assert.equal(read.signed, file.signed);
    assert.equal(read.signature, file.signature);
    assert.equal(read.version, '1.5.0');
    assert.equal(read.deviceClass, 'cart');
    assert.equal(read.sha256, sha256);
  });

  it('says why a file is not a signed manifest', () => {
    assert.match(String(readManifestFile('{')), /not JSON/);
    assert.match(String(readManifestFile('{"type":"other"}')), /not a signed manifest/);
  });

  it('hashes the image as the upload path wants it', async () => {
    const bytes = new TextEncoder().encode('abc');
    assert.equal(
      await sha256Hex(bytes.buffer as ArrayBuffer),
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
