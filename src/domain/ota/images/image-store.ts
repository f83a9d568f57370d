import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { BlobStore } from '../../../stores/blobs/blob-store.js';

/** An image's id: the SHA-256 of its bytes, lower-case hex, as the signed manifest states it. */
export const IMAGE_ID_PATTERN = '^[0-9a-f]{64}$';
const IMAGE_ID = new RegExp(IMAGE_ID_PATTERN);

export function isImageId(value: string): boolean {
  return IMAGE_ID.test(value);
}

/** Same limit as the manifest's size (the contract's OtaManifest). */
export const MAX_IMAGE_BYTES = 64 * 1024 * 1024;

export interface StoredImage {
  readonly imageId: string;
  readonly size: number;
}

/**
 * Firmware images in the blob store under `firmware/<sha256>`. Content-addressed: the id is the
 * hash, so storing the same bytes twice is a no-op, two versions sharing an image share a blob,
 * and a blob can be checked against its key. The manifest, not this store, says which version an
 * image is; the store only knows bytes.
 */
export class ImageStore {
  constructor(private readonly blobs: BlobStore) {}

  /** Stores the bytes; `created` is false when the same image was already there. */
  async put(bytes: Uint8Array): Promise<StoredImage & { readonly created: boolean }> {
    const imageId = createHash('sha256').update(bytes).digest('hex');
    const existing = await this.head(imageId);
    if (existing) return { ...existing, created: false };
    const info = await this.blobs.put(imageKey(imageId), bytes);
    // The blob store hashes what it wrote: a mismatch is a bug or a failing disk, never input.
    if (info.sha256 !== imageId) throw new Error(`blob ${info.key} stored with another hash`);
    return { imageId, size: info.size, created: true };
  }

  async has(imageId: string): Promise<boolean> {
    return (await this.head(imageId)) !== undefined;
  }

  async head(imageId: string): Promise<StoredImage | undefined> {
    if (!isImageId(imageId)) return undefined;
    const info = await this.blobs.head(imageKey(imageId));
    return info ? { imageId, size: info.size } : undefined;
  }

  /** The image as a stream with its size, for a download; undefined when unknown. */
  async open(imageId: string): Promise<(StoredImage & { readonly stream: Readable }) | undefined> {
    const info = await this.head(imageId);
    if (!info) return undefined;
    const stream = await this.blobs.get(imageKey(imageId));
    return stream ? { ...info, stream } : undefined;
  }

  /** The whole image in memory (tests, the simulator); prefer `open` for serving. */
  async get(imageId: string): Promise<Buffer | undefined> {
    const opened = await this.open(imageId);
    if (!opened) return undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
}

export function imageKey(imageId: string): string {
  return `firmware/${imageId}`;
}
