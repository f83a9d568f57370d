import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeDeviceMessage } from './decode.js';
import { DEVICE_EXAMPLES, OTA_MANIFEST_EXAMPLE } from './examples.js';
import { DEVICE_CLASSES } from './ids.js';
import { MAX_PAYLOAD_BYTES } from './limits.js';
import { checkManifest, FIRMWARE_REJECT_CODES } from './ota/firmware-acceptance.js';
import { REJECT_REASON_CODES } from './reasons.js';
import {
  openCredential,
  sealCredential,
  x25519PrivateKey,
  rawPublicKey,
} from './sealing/credential-seal.js';
import { mayPublish, maySubscribe, parseDeviceTopic, topicFor } from './topics.js';
import { frame, signBody } from './wire.js';

/**
 * Arbitrary input at the contract's edges either parses or is refused with a reason from the
 * closed set; nothing throws past the boundary (issue 20). Seeds are fixed by fast-check per run
 * and printed on failure, so a failing case can be replayed.
 */
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signed = (body: Uint8Array) => frame(body, signBody(body, privateKey));
const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const examples = Object.values(DEVICE_EXAMPLES);

function closed(payload: Uint8Array): void {
  const d = decodeDeviceMessage(payload);
  if (!d.ok) assert.ok(REJECT_REASON_CODES.includes(d.reason), d.reason);
}

describe('the wire decoder under arbitrary input', () => {
  it('answers any bytes with a message or a closed reason', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => closed(bytes)),
      {
        numRuns: 3000,
      },
    );
  });

  it('answers any JSON value, signed, with a message or a closed reason', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => closed(signed(json(value)))),
      { numRuns: 1500 },
    );
  });

  it('answers every example with one field replaced by anything as a message or a closed reason', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...examples),
        fc.string({ maxLength: 20 }),
        fc.jsonValue({ maxDepth: 2 }),
        (example, key, value) => {
          const keys = Object.keys(example);
          const field = keys[key.length % keys.length]!;
          closed(signed(json({ ...example, [field]: value })));
          closed(signed(json({ ...example, [key]: value })));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('answers any truncation or bit flip of a signed message with a message or a closed reason', () => {
    const payloads = examples.map((m) => signed(json(m)));
    fc.assert(
      fc.property(
        fc.constantFrom(...payloads),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (payload, at, bit) => {
          const cut = payload.subarray(0, at % payload.length);
          closed(cut);
          const flipped = Uint8Array.from(payload);
          flipped[at % payload.length]! ^= 1 << bit;
          closed(flipped);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('refuses an oversize payload by size', () => {
    const d = decodeDeviceMessage(new Uint8Array(MAX_PAYLOAD_BYTES + 1));
    assert.equal(d.ok ? 'ok' : d.reason, 'size');
  });
});

describe('topics under arbitrary input', () => {
  it('parses, authorises and refuses any topic string without throwing', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 80 })),
        fc.constantFrom(...DEVICE_CLASSES),
        (topic, deviceClass) => {
          const parsed = parseDeviceTopic(topic);
          if (parsed?.channel === 'telemetry')
            assert.equal(topicFor(parsed.deviceClass, parsed.deviceId, parsed.type), topic);
          assert.equal(typeof mayPublish(deviceClass, 'CART-0001', topic), 'boolean');
          assert.equal(typeof maySubscribe(deviceClass, 'CART-0001', topic), 'boolean');
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('sealed credentials under arbitrary input', () => {
  const key = new Uint8Array(32).fill(7);
  const recipient = { kid: 'k1', publicKey: rawPublicKey(createPublicKey(x25519PrivateKey(key))) };
  const b64 = (max: number) =>
    fc.string({ unit: fc.constantFrom(...'ABCabc019-_'.split('')), maxLength: max });

  it('opens nothing it was not sealed for, whatever the fields hold, and never throws', () => {
    const genuine = sealCredential(recipient, '4000123412341234', 'aad');
    fc.assert(
      fc.property(b64(60), b64(20), b64(140), b64(30), fc.string(), (epk, iv, ct, tag, aad) => {
        const forged = { ...genuine, epk, iv, ct, tag };
        assert.equal(openCredential(key, forged, aad), undefined);
        const moved = openCredential(key, genuine, aad);
        assert.ok(moved === undefined || aad === 'aad');
      }),
      { numRuns: 1000 },
    );
  });
});

describe('OTA manifests under arbitrary input', () => {
  const { privateKey: signer, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const context = {
    signingKey: publicKey,
    serverNow: Date.parse('2026-12-01T00:00:00Z'),
    installedVersion: '2.4.0',
    deviceClass: 'cart' as const,
    hardwareRev: 'revB',
    trustedCaGenerations: [1, 2],
  };

  it('refuses any signed manifest body it cannot accept with a closed firmware reason', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 512 }),
          fc.jsonValue({ maxDepth: 3 }).map(json),
          fc
            .record({
              field: fc.constantFrom(...Object.keys(OTA_MANIFEST_EXAMPLE)),
              value: fc.jsonValue({ maxDepth: 2 }),
            })
            .map(({ field, value }) => json({ ...OTA_MANIFEST_EXAMPLE, [field]: value })),
        ),
        (body) => {
          const verdict = checkManifest(body, signBody(body, signer), context);
          if (!verdict.ok)
            assert.ok(FIRMWARE_REJECT_CODES.includes(verdict.reason), verdict.reason);
        },
      ),
      { numRuns: 1500 },
    );
  });
});
