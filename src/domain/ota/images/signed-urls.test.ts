import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { tempDir } from '../../../../test-support/temp-dir.js';
import { DEVICE_API_PATHS } from '../../../contract/index.js';
import { LocalKeyring } from '../../../stores/keys/index.js';
import {
  DEFAULT_FIRMWARE_URL_LIFETIME_MS,
  FIRMWARE_URL_KEY_NAME,
  HmacFirmwareUrls,
} from './signed-urls.js';

const IMAGE = createHash('sha256').update('firmware 2.5.0').digest('hex');
const OTHER_IMAGE = createHash('sha256').update('firmware 2.5.1').digest('hex');
const NOW = Date.parse('2026-11-23T10:00:00.000Z');

const urls = (key = randomBytes(32)) =>
  new HmacFirmwareUrls(key, { baseUrl: () => 'https://localhost:8443/' });

/** The parts of a minted URL the device API's route receives. */
function parts(url: string) {
  const parsed = new URL(url);
  const prefix = `${DEVICE_API_PATHS.firmware}/`;
  assert.ok(parsed.pathname.startsWith(prefix), parsed.pathname);
  return {
    imageId: parsed.pathname.slice(prefix.length),
    expires: parsed.searchParams.get('expires') ?? undefined,
    sig: parsed.searchParams.get('sig') ?? undefined,
  };
}

describe('signed firmware URLs', () => {
  it('mint a device API URL for the image that checks until it expires 15 minutes later', () => {
    const signer = urls();
    const minted = signer.mint(IMAGE, NOW);
    assert.equal(minted.expiresAt, NOW + DEFAULT_FIRMWARE_URL_LIFETIME_MS);
    assert.equal(DEFAULT_FIRMWARE_URL_LIFETIME_MS, 15 * 60_000);
    assert.match(
      minted.url,
      new RegExp(
        `^https://localhost:8443/v1/device/firmware/${IMAGE}\\?expires=${minted.expiresAt}&sig=[0-9a-f]{64}$`,
      ),
    );
    const p = parts(minted.url);
    assert.deepEqual(signer.check(p.imageId, p.expires, p.sig, NOW), { ok: true });
    assert.deepEqual(signer.check(p.imageId, p.expires, p.sig, minted.expiresAt - 1), { ok: true });
    assert.deepEqual(signer.check(p.imageId, p.expires, p.sig, minted.expiresAt), {
      ok: false,
      reason: 'url-expired',
    });
  });

  it("count a lifetime without the host clock's steps: a URL minted before a step of an hour forward still checks after it", () => {
    let steps = 0;
    const signer = new HmacFirmwareUrls(randomBytes(32), {
      baseUrl: () => 'https://localhost:8443/',
      clockStepsMs: () => steps,
    });
    const before = parts(signer.mint(IMAGE, NOW).url);
    steps = 3_600_000;
    const stepped = NOW + 3_600_000 + 60_000;
    assert.deepEqual(signer.check(before.imageId, before.expires, before.sig, stepped), {
      ok: true,
    });
    const minted = signer.mint(IMAGE, stepped);
    assert.equal(minted.expiresAt, NOW + 60_000 + DEFAULT_FIRMWARE_URL_LIFETIME_MS);
    // Back again: the URL minted while the clock was ahead lives its 15 minutes, not an hour more.
    steps = 0;
    const ahead = parts(minted.url);
    const expired = signer.check(ahead.imageId, ahead.expires, ahead.sig, minted.expiresAt);
    assert.deepEqual(expired, { ok: false, reason: 'url-expired' });
  });

  it('refuse an altered signature, image id or expiry, and a URL of another key', () => {
    const signer = urls();
    const p = parts(signer.mint(IMAGE, NOW).url);
    const flip = (hex: string) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);
    const refused = (imageId: string, expires: unknown, sig: unknown) =>
      signer.check(imageId, expires, sig, NOW);
    assert.deepEqual(refused(p.imageId, p.expires, flip(p.sig!)), {
      ok: false,
      reason: 'url-signature',
    });
    assert.deepEqual(refused(OTHER_IMAGE, p.expires, p.sig), {
      ok: false,
      reason: 'url-signature',
    });
    const later = String(Number(p.expires) + 3_600_000);
    assert.deepEqual(refused(p.imageId, later, p.sig), { ok: false, reason: 'url-signature' });
    const foreign = parts(urls().mint(IMAGE, NOW).url);
    assert.deepEqual(refused(foreign.imageId, foreign.expires, foreign.sig), {
      ok: false,
      reason: 'url-signature',
    });
    // An expired URL with its expiry pushed forward is a bad signature, never fresh again.
    const old = parts(signer.mint(IMAGE, NOW - 3_600_000).url);
    assert.deepEqual(refused(old.imageId, old.expires, old.sig), {
      ok: false,
      reason: 'url-expired',
    });
    assert.deepEqual(refused(old.imageId, String(NOW + 60_000), old.sig), {
      ok: false,
      reason: 'url-signature',
    });
  });

  it('refuse missing or malformed parts as url-malformed', () => {
    const signer = urls();
    const p = parts(signer.mint(IMAGE, NOW).url);
    for (const [imageId, expires, sig] of [
      [p.imageId, undefined, p.sig],
      [p.imageId, p.expires, undefined],
      [p.imageId, [p.expires], p.sig],
      [p.imageId, '-1', p.sig],
      [p.imageId, p.expires, p.sig!.toUpperCase()],
      [p.imageId, p.expires, p.sig!.slice(2)],
      [p.imageId.slice(1), p.expires, p.sig],
      ['../../etc/passwd', p.expires, p.sig],
    ] as const) {
      assert.deepEqual(signer.check(imageId, expires, sig, NOW), {
        ok: false,
        reason: 'url-malformed',
      });
    }
    assert.throws(() => signer.mint('not-an-image', NOW), RangeError);
  });

  it('use a data key of the key provider, so a restarted platform checks the URLs it minted', async (t) => {
    const dir = await tempDir(t);
    const base = { baseUrl: () => 'https://localhost:8443' };
    const first = await HmacFirmwareUrls.fromKeys(new LocalKeyring(dir), base);
    const p = parts(first.mint(IMAGE, NOW).url);
    const restarted = await HmacFirmwareUrls.fromKeys(new LocalKeyring(dir), base);
    assert.deepEqual(restarted.check(p.imageId, p.expires, p.sig, NOW), { ok: true });
    assert.equal(FIRMWARE_URL_KEY_NAME, 'ota.url-signing.1');
  });
});
