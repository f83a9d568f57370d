import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { decodeDeviceMessage } from './decode.js';
import { DEVICE_EXAMPLES } from './examples.js';
import { MAX_PAYLOAD_BYTES } from './limits.js';
import { encodeSigned, frame, signBody, verifyBody } from './wire.js';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signer = (body: Uint8Array) => signBody(body, privateKey);
const bytes = (s: string) => new TextEncoder().encode(s);
const fakeSignature = new Uint8Array(64).fill(7);

function rejected(payload: Uint8Array) {
  const result = decodeDeviceMessage(payload);
  assert.equal(result.ok, false);
  return result as Extract<typeof result, { ok: false }>;
}

describe('decodeDeviceMessage', () => {
  it('returns the message, the exact signed body and the signature for a valid payload', () => {
    const payload = encodeSigned(DEVICE_EXAMPLES.scan, signer);
    const result = decodeDeviceMessage(payload);
    assert.equal(result.ok, true);
    if (!result.ok) return;
    assert.deepEqual(result.message, DEVICE_EXAMPLES.scan);
    assert.equal(verifyBody(result.body, result.signature, publicKey), true);
    assert.equal(result.body.length + 64, payload.length);
  });

  it('rejects an oversize payload with reason size before parsing it', () => {
    const result = rejected(new Uint8Array(MAX_PAYLOAD_BYTES + 1).fill(0x7b));
    assert.equal(result.reason, 'size');
    assert.match(result.detail, /limit/);
  });

  it('rejects bare JSON with reason unsigned and still names the message', () => {
    const result = rejected(bytes(JSON.stringify(DEVICE_EXAMPLES.scan)));
    assert.equal(result.reason, 'unsigned');
    assert.equal(result.counter, DEVICE_EXAMPLES.scan.counter);
    assert.equal(result.deviceId, 'CART-00042');
    assert.equal(result.type, 'scan');
  });

  it('rejects a short bare JSON object as unsigned too', () => {
    assert.equal(rejected(bytes('{"a":1}')).reason, 'unsigned');
  });

  it('rejects garbage, invalid UTF-8, arrays and truncated bodies with reason json', () => {
    assert.equal(rejected(frame(bytes('not json at all'), fakeSignature)).reason, 'json');
    assert.equal(
      rejected(frame(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), fakeSignature)).reason,
      'json',
    );
    assert.equal(rejected(frame(bytes('[1,2,3]'), fakeSignature)).reason, 'json');
    const whole = encodeSigned(DEVICE_EXAMPLES.scan, signer);
    assert.equal(rejected(whole.subarray(0, whole.length - 10)).reason, 'json');
  });

  it('rejects an unknown schema_version with reason version', () => {
    const result = rejected(encodeSigned({ ...DEVICE_EXAMPLES.scan, schema_version: 2 }, signer));
    assert.equal(result.reason, 'version');
    assert.equal(result.counter, DEVICE_EXAMPLES.scan.counter);
  });

  it('rejects a schema_version that is an object with no usable toString, without throwing', () => {
    // Found by the property suite in CI: String({ toString: false }) throws a TypeError.
    const result = rejected(
      encodeSigned({ ...DEVICE_EXAMPLES.scan, schema_version: { toString: false } }, signer),
    );
    assert.equal(result.reason, 'version');
    assert.match(result.detail, /schema_version \{"toString":false\} is not supported/);
  });

  it('rejects an unknown type with reason type', () => {
    const result = rejected(encodeSigned({ ...DEVICE_EXAMPLES.scan, type: 'selfie' }, signer));
    assert.equal(result.reason, 'type');
    assert.equal(result.type, undefined);
  });

  it('rejects a schema violation with reason schema and a detail naming the field', () => {
    const result = rejected(encodeSigned({ ...DEVICE_EXAMPLES.scan, quantity: 0 }, signer));
    assert.equal(result.reason, 'schema');
    assert.match(result.detail, /^scan: \/quantity /);
    assert.equal(result.counter, 1043);
  });

  it('keeps details short enough for the error topic', () => {
    const result = rejected(
      encodeSigned({ ...DEVICE_EXAMPLES.scan, type: 'x'.repeat(5000) }, signer),
    );
    assert.ok(result.detail.length <= 200);
  });
});
