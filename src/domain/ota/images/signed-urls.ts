import { createHmac, timingSafeEqual } from 'node:crypto';
import { DEVICE_API_PATHS } from '../../../contract/index.js';
import type { KeyProvider } from '../../../stores/keys/index.js';
import { isImageId } from './image-store.js';

/** What the rollout engine needs: a short-lived URL for an image, to put in an ota-job. */
export interface FirmwareUrls {
  mint(imageId: string, now: number): { url: string; expiresAt: number };
}

/** The data key URLs are signed with; a new name (ota.url-signing.2) rotates it. */
export const FIRMWARE_URL_KEY_NAME = 'ota.url-signing.1';
/** Long enough to download 64 MiB over a store's Wi-Fi, short enough that a leaked URL is stale. */
export const DEFAULT_FIRMWARE_URL_LIFETIME_MS = 15 * 60_000;

/** Why a firmware download is refused with 403: a closed set, the `error` of the answer. */
export const FIRMWARE_URL_REFUSALS = {
  'url-malformed': 'The URL lacks expires or sig, or they are not what a signed URL holds.',
  'url-signature': 'The URL signature does not match the image and expiry: altered or foreign.',
  'url-expired': 'The signed URL has expired; the job is re-sent with a fresh one.',
} as const;
export type FirmwareUrlRefusal = keyof typeof FIRMWARE_URL_REFUSALS;

export type FirmwareUrlCheck =
  { readonly ok: true } | { readonly ok: false; readonly reason: FirmwareUrlRefusal };

// The image id is fixed-length hex and expires digits only, so the newline-joined input is
// unambiguous; the label keeps this key's MACs from meaning anything anywhere else.
const LABEL = 'fleetplane firmware url v1';
const EXPIRES = /^[0-9]{1,15}$/;
const SIG = /^[0-9a-f]{64}$/;

export interface HmacFirmwareUrlsOptions {
  /**
   * The device API as devices reach it, e.g. `https://localhost:8443`. A function, because the
   * port is known only once the device API listens, after the routes that check URLs exist.
   */
  readonly baseUrl: () => string;
  readonly lifetimeMs?: number;
  /**
   * How far the host clock has stepped since the platform started (ms, forward positive). A
   * URL's lifetime is counted without those steps, so one minted just before a step forward still
   * downloads after it; default none.
   */
  readonly clockStepsMs?: () => number;
}

/**
 * Signed firmware URLs: HMAC-SHA256 over (image id, expiry) with a data key from the key
 * provider, so every platform process with the same keys mints and checks the same URLs and
 * they survive a restart. The device API checks them in constant time.
 */
export class HmacFirmwareUrls implements FirmwareUrls {
  readonly #key: Buffer;
  readonly #baseUrl: () => string;
  readonly #lifetimeMs: number;
  readonly #stepsMs: () => number;

  constructor(key: Buffer, options: HmacFirmwareUrlsOptions) {
    if (key.length < 32) throw new RangeError('the URL signing key must be at least 256 bits');
    this.#key = key;
    this.#baseUrl = options.baseUrl;
    this.#lifetimeMs = options.lifetimeMs ?? DEFAULT_FIRMWARE_URL_LIFETIME_MS;
    this.#stepsMs = options.clockStepsMs ?? (() => 0);
  }

  static async fromKeys(
    keys: Pick<KeyProvider, 'dataKey'>,
    options: HmacFirmwareUrlsOptions,
  ): Promise<HmacFirmwareUrls> {
    return new HmacFirmwareUrls(await keys.dataKey(FIRMWARE_URL_KEY_NAME), options);
  }

  mint(imageId: string, now: number): { url: string; expiresAt: number } {
    if (!isImageId(imageId)) throw new RangeError(`'${imageId}' is not an image id`);
    const expiresAt = now - this.#stepsMs() + this.#lifetimeMs;
    const sig = this.#mac(imageId, String(expiresAt)).toString('hex');
    const base = this.#baseUrl().replace(/\/+$/, '');
    return {
      url: `${base}${DEVICE_API_PATHS.firmware}/${imageId}?expires=${expiresAt}&sig=${sig}`,
      expiresAt,
    };
  }

  /** Whether a download URL's parts are ones this key signed and still valid at `now`. */
  check(imageId: string, expires: unknown, sig: unknown, now: number): FirmwareUrlCheck {
    if (
      !isImageId(imageId) ||
      typeof expires !== 'string' ||
      typeof sig !== 'string' ||
      !EXPIRES.test(expires) ||
      !SIG.test(sig)
    ) {
      return { ok: false, reason: 'url-malformed' };
    }
    const expected = this.#mac(imageId, expires);
    if (!timingSafeEqual(expected, Buffer.from(sig, 'hex'))) {
      return { ok: false, reason: 'url-signature' };
    }
    // Checked after the MAC: an altered expiry is a bad signature, not a fresh URL.
    if (now - this.#stepsMs() >= Number(expires)) return { ok: false, reason: 'url-expired' };
    return { ok: true };
  }

  #mac(imageId: string, expires: string): Buffer {
    return createHmac('sha256', this.#key).update(`${LABEL}\n${imageId}\n${expires}`).digest();
  }
}
