// Writes schemas/test-vectors.json: a P-256 key, a body, its signature and the resulting wire
// bytes, for firmware teams to check their signing against. ECDSA signatures are randomised, so
// this runs once and the file is committed; a test re-verifies every vector on each run.
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEVICE_EXAMPLES } from '../src/contract/examples.js';
import { frame, signBody } from '../src/contract/wire.js';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function keyFields(priv: KeyObject, pub: KeyObject) {
  const jwk = priv.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x!, 'base64url');
  const y = Buffer.from(jwk.y!, 'base64url');
  return {
    private_key_pkcs8_pem: priv.export({ format: 'pem', type: 'pkcs8' }).toString(),
    private_key_d_hex: hex(Buffer.from(jwk.d!, 'base64url')),
    public_key_uncompressed_hex: hex(Buffer.concat([Buffer.from([4]), x, y])),
    public_key_spki_pem: pub.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

function vector(name: string, message: object) {
  const body = new TextEncoder().encode(JSON.stringify(message));
  const signature = signBody(body, privateKey);
  return {
    name,
    body_utf8: Buffer.from(body).toString('utf8'),
    body_sha256_hex: createHash('sha256').update(body).digest('hex'),
    signature_hex: hex(signature),
    payload_hex: hex(frame(body, signature)),
  };
}

const valid = [
  vector('scan', DEVICE_EXAMPLES.scan),
  vector('health', DEVICE_EXAMPLES.health),
  vector('session-end', DEVICE_EXAMPLES['session-end']),
];
const tamperedBase = valid[0]!;
const tampered = {
  ...tamperedBase,
  name: 'scan with quantity changed after signing (must NOT verify)',
  body_utf8: tamperedBase.body_utf8.replace('"quantity":1', '"quantity":2'),
};
tampered.body_sha256_hex = createHash('sha256').update(tampered.body_utf8).digest('hex');
tampered.payload_hex = Buffer.from(tampered.body_utf8).toString('hex') + tampered.signature_hex;

const file = {
  $comment:
    'fleetplane wire-format test vectors. payload = body bytes || signature; signature = ECDSA P-256 over SHA-256(body), r||s, 64 bytes.',
  key: keyFields(privateKey, publicKey),
  valid,
  invalid: [tampered],
};
writeFileSync(
  join(import.meta.dirname, '..', 'schemas', 'test-vectors.json'),
  JSON.stringify(file, null, 2) + '\n',
);
console.log('wrote schemas/test-vectors.json');
