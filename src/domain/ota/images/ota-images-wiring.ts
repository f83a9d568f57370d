import type { BlobStore } from '../../../stores/blobs/blob-store.js';
import type { KeyProvider } from '../../../stores/keys/index.js';
import { ImageStore } from './image-store.js';
import { HmacFirmwareUrls } from './signed-urls.js';

/** Firmware images and their signed URLs, as the platform holds them. */
export interface OtaImages {
  readonly images: ImageStore;
  /** Mints URLs for ota-jobs (the rollout engine) and checks them (the device API). */
  readonly urls: HmacFirmwareUrls;
  /** Tells the URLs where the device API listens; minting before this is a bug. */
  deviceApiListening(url: string): void;
}

/**
 * Builds the platform's OTA image parts from its blob store and key provider. The device API's
 * routes need the URL checker before the device API listens; minting needs its address, known
 * only after, hence `deviceApiListening`.
 */
export async function wireOtaImages(deps: {
  readonly blobs: BlobStore;
  readonly keys: Pick<KeyProvider, 'dataKey'>;
  readonly lifetimeMs?: number;
  /** How far the host clock has stepped since the platform started (HmacFirmwareUrlsOptions). */
  readonly clockStepsMs?: () => number;
}): Promise<OtaImages> {
  let deviceApiUrl: string | undefined;
  const urls = await HmacFirmwareUrls.fromKeys(deps.keys, {
    baseUrl: () => {
      if (deviceApiUrl === undefined) throw new Error('the device API is not listening yet');
      return deviceApiUrl;
    },
    ...(deps.lifetimeMs !== undefined ? { lifetimeMs: deps.lifetimeMs } : {}),
    ...(deps.clockStepsMs ? { clockStepsMs: deps.clockStepsMs } : {}),
  });
  return {
    images: new ImageStore(deps.blobs),
    urls,
    deviceApiListening: (url) => {
      deviceApiUrl = url;
    },
  };
}
