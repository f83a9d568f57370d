import assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { decodeDeviceMessage } from './decode.js';
import { frame, signBody, splitFrame, verifyBody } from './wire.js';

interface Vector {
  name: string;
  body_utf8: string;
  body_sha256_hex: string;
  signature_hex: string;
  payload_hex: string;
}
const file = JSON.parse(
  readFileSync(new URL('../../schemas/test-vectors.json', import.meta.url), 'utf8'),
) as { key: Record<string, string>; valid: Vector[]; invalid: Vector[] };

const publicKey = createPublicKey(file.key['public_key_spki_pem']!);
const hex = (s: string) => Buffer.from(s, 'hex');

describe('published wire-format test vectors', () => {
  it('agree on the key in every encoding', () => {
    const fromPem = createPrivateKey(file.key['private_key_pkcs8_pem']!).export({ format: 'jwk' });
    assert.equal(
      Buffer.from(fromPem.d!, 'base64url').toString('hex'),
      file.key['private_key_d_hex'],
    );
    const point = Buffer.concat([
      Buffer.from([4]),
      Buffer.from(fromPem.x!, 'base64url'),
      Buffer.from(fromPem.y!, 'base64url'),
    ]);
    assert.equal(point.toString('hex'), file.key['public_key_uncompressed_hex']);
  });

  for (const v of file.valid) {
    it(`vector "${v.name}": payload is body || signature, the hash matches, the signature verifies`, () => {
      const body = Buffer.from(v.body_utf8, 'utf8');
      assert.equal(createHash('sha256').update(body).digest('hex'), v.body_sha256_hex);
      assert.deepEqual(Buffer.from(frame(body, hex(v.signature_hex))), hex(v.payload_hex));
      const parts = splitFrame(hex(v.payload_hex))!;
      assert.equal(verifyBody(parts.body, parts.signature, publicKey), true);
      assert.equal(decodeDeviceMessage(hex(v.payload_hex)).ok, true);
    });
  }

  for (const v of file.invalid) {
    it(`vector "${v.name}" does not verify`, () => {
      const parts = splitFrame(hex(v.payload_hex))!;
      assert.equal(verifyBody(parts.body, parts.signature, publicKey), false);
    });
  }

  it('a signature from the vector key over new bytes verifies, and one flipped bit does not', () => {
    const key = createPrivateKey(file.key['private_key_pkcs8_pem']!);
    const body = Buffer.from('{"hello":"device"}');
    const signature = signBody(body, key);
    assert.equal(signature.length, 64);
    assert.equal(verifyBody(body, signature, publicKey), true);
    const flipped = Buffer.from(signature);
    flipped[10]! ^= 1;
    assert.equal(verifyBody(body, flipped, publicKey), false);
  });

  it('refuses a signature of the wrong length without throwing', () => {
    assert.equal(verifyBody(Buffer.from('{}'), new Uint8Array(63), publicKey), false);
    assert.throws(() => frame(Buffer.from('{}'), new Uint8Array(72)), RangeError);
  });
});
