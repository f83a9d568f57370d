import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { OtaManifest } from '../messages/ota.js';
import { signBody } from '../wire.js';
import {
  acceptFirmware,
  FIRMWARE_REJECT_CODES,
  raisedFloor,
  type FirmwareAcceptanceContext,
  type FirmwareRejectReason,
} from './firmware-acceptance.js';

const T0 = Date.parse('2026-11-23T09:00:00.000Z');
const DAY = 86_400_000;
const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const image = new Uint8Array(randomBytes(2048));

const MANIFEST: OtaManifest = {
  version: '2.5.0',
  device_class: 'cart',
  hardware_revisions: ['revB', 'revC'],
  size: image.byteLength,
  sha256: createHash('sha256').update(image).digest('hex'),
  issued_at: new Date(T0 - DAY).toISOString(),
  expires_at: new Date(T0 + DAY).toISOString(),
  min_version: '2.3.0',
  ca_generation: 2,
};

const CONTEXT: FirmwareAcceptanceContext = {
  signingKey: keys.publicKey,
  serverNow: T0,
  installedVersion: '2.4.1',
  deviceClass: 'cart',
  hardwareRev: 'revB',
  trustedCaGenerations: [1, 2],
};

function sign(manifest: unknown, privateKey = keys.privateKey) {
  const signed = new TextEncoder().encode(JSON.stringify(manifest));
  return { signed, signature: signBody(signed, privateKey) };
}

function reason(
  change: {
    manifest?: Partial<OtaManifest>;
    context?: Partial<FirmwareAcceptanceContext>;
    image?: Uint8Array;
    privateKey?: typeof keys.privateKey;
    tamper?: (signed: Uint8Array) => Uint8Array;
  } = {},
): FirmwareRejectReason | 'ok' {
  const { signed, signature } = sign({ ...MANIFEST, ...change.manifest }, change.privateKey);
  const verdict = acceptFirmware(
    change.tamper ? change.tamper(signed) : signed,
    signature,
    change.image ?? image,
    { ...CONTEXT, ...change.context },
  );
  return verdict.ok ? 'ok' : verdict.reason;
}

describe("the device's firmware acceptance check", () => {
  it('accepts a signed image for this device within its validity window', () => {
    assert.equal(reason(), 'ok');
  });

  const cases: [string, FirmwareRejectReason | 'ok', Parameters<typeof reason>[0]][] = [
    [
      'signed with another key (forged)',
      'signature',
      { privateKey: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey },
    ],
    [
      'manifest bytes changed after signing',
      'signature',
      {
        tamper: (s) =>
          new TextEncoder().encode(new TextDecoder().decode(s).replace('2.5.0', '2.6.0')),
      },
    ],
    [
      'an image whose bytes were tampered with',
      'hash',
      { image: image.map((b, i) => (i === 7 ? b ^ 1 : b)) },
    ],
    ['an image of another size', 'size', { image: image.subarray(0, 2047) }],
    ['expired by server time', 'expired', { context: { serverNow: T0 + 2 * DAY } }],
    ['expiring exactly now', 'expired', { context: { serverNow: T0 + DAY } }],
    ['issued after server time', 'not-yet-valid', { context: { serverNow: T0 - 2 * DAY } }],
    ['the installed version again', 'downgrade', { context: { installedVersion: '2.5.0' } }],
    ['an older version', 'downgrade', { context: { installedVersion: '2.6.0' } }],
    [
      'newer than installed but below the floor',
      'downgrade',
      { context: { antiRollbackFloor: '2.6.0' } },
    ],
    ['not for this hardware revision', 'hardware', { context: { hardwareRev: 'revA' } }],
    ['for another device class', 'device-class', { context: { deviceClass: 'coldchain' } }],
    [
      'needing an untrusted CA generation',
      'ca-generation',
      { context: { trustedCaGenerations: [1] } },
    ],
    ['a min_version above its version', 'malformed', { manifest: { min_version: '2.6.0' } }],
    ['a manifest that is not valid', 'malformed', { manifest: { sha256: 'nope' } }],
  ];
  for (const [what, expected, change] of cases) {
    it(`refuses ${what} with reason ${expected}`, () => assert.equal(reason(change), expected));
  }

  it('covers every reject reason in the closed set', () => {
    const exercised = new Set(cases.map(([, r]) => r));
    assert.deepEqual(
      FIRMWARE_REJECT_CODES.filter((c) => !exercised.has(c)),
      [],
    );
  });

  it('raises the anti-rollback floor and never lowers it', () => {
    assert.equal(raisedFloor(undefined, MANIFEST), '2.3.0');
    assert.equal(raisedFloor('2.2.0', MANIFEST), '2.3.0');
    assert.equal(raisedFloor('2.4.0', MANIFEST), '2.4.0');
  });
});
