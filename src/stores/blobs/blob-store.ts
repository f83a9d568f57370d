import type { Readable } from 'node:stream';
import { Failure } from '../../shared/failure.js';

export interface BlobInfo {
  readonly key: string;
  readonly size: number;
  /** SHA-256 of the content, hex. */
  readonly sha256: string;
}

/**
 * Firmware images, signed receipts, archives: a directory by default, S3-compatible object
 * storage behind the same interface. Keys are slash-separated paths of safe segments.
 */
export interface BlobStore {
  /** Stores the content under `key`, atomically: readers see the old blob or the new one. */
  put(key: string, content: Uint8Array | Readable): Promise<BlobInfo>;
  /** The content, or undefined when there is no such blob. */
  get(key: string): Promise<Readable | undefined>;
  head(key: string): Promise<BlobInfo | undefined>;
  delete(key: string): Promise<boolean>;
  /** Keys under a prefix, sorted. */
  list(prefix: string): Promise<string[]>;
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Refuses keys that could escape the store (`..`, absolute paths, empty segments). */
export function isBlobKey(key: string): boolean {
  const segments = key.split('/');
  return (
    segments.length <= 16 &&
    segments.every((s) => SEGMENT.test(s) && s !== '..' && !s.endsWith('.tmp'))
  );
}

export class BlobKeyFailure extends Failure<'invalid-blob-key'> {}

/** The key unchanged, or the failure every adapter raises for one that could escape the store. */
export function checkedBlobKey(key: string): string {
  if (!isBlobKey(key))
    throw new BlobKeyFailure('invalid-blob-key', `'${key}' is not a valid blob key`);
  return key;
}
