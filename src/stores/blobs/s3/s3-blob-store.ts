import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { checkedBlobKey, type BlobInfo, type BlobStore } from '../blob-store.js';

export interface S3BlobStoreOptions {
  readonly bucket: string;
  /** An S3-compatible server's URL; AWS's endpoint for the region when absent. */
  readonly endpoint?: string;
  readonly region?: string;
  /** A client of one's own; closed by `close` all the same. */
  readonly client?: S3Client;
}

/** Where the digest is kept: object metadata, sent as `x-amz-meta-sha256`. */
const DIGEST = 'sha256';

/**
 * Blobs as objects in one S3 bucket, one object a blob. A PutObject replaces an object whole, so
 * readers see the old blob or the new one as the port asks; the SHA-256 is computed while the
 * content is read and kept as object metadata, so `head` is one request (decision 054).
 */
export class S3BlobStore implements BlobStore {
  readonly #client: S3Client;
  readonly #bucket: string;

  private constructor(client: S3Client, bucket: string) {
    this.#client = client;
    this.#bucket = bucket;
  }

  /** Opens the bucket, creating it when it is missing. */
  static async open(options: S3BlobStoreOptions): Promise<S3BlobStore> {
    const client =
      options.client ??
      new S3Client({
        ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
        ...regionFor(options),
        // Checksums only where S3 requires them: S3-compatible servers do not all know the
        // newer trailing checksums, and the SHA-256 in metadata is the store's own check.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
    try {
      await ensureBucket(client, options.bucket);
    } catch (error) {
      client.destroy();
      throw error;
    }
    return new S3BlobStore(client, options.bucket);
  }

  async put(key: string, content: Uint8Array | Readable): Promise<BlobInfo> {
    checkedBlobKey(key);
    // S3 needs the length before the body: a stream is read whole first (decision 054).
    const body =
      content instanceof Readable ? Buffer.concat(await content.toArray()) : Buffer.from(content);
    const sha256 = createHash('sha256').update(body).digest('hex');
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: key,
        Body: body,
        ContentLength: body.length,
        Metadata: { [DIGEST]: sha256 },
      }),
    );
    return { key, size: body.length, sha256 };
  }

  async get(key: string): Promise<Readable | undefined> {
    checkedBlobKey(key);
    try {
      const out = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
      return out.Body as Readable;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async head(key: string): Promise<BlobInfo | undefined> {
    checkedBlobKey(key);
    let out;
    try {
      out = await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: key }));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    const size = out.ContentLength ?? 0;
    const kept = out.Metadata?.[DIGEST];
    if (kept) return { key, size, sha256: kept };
    // An object put there by something else: its digest costs one read.
    const content = await this.get(key);
    if (!content) return undefined;
    const hash = createHash('sha256');
    for await (const chunk of content) hash.update(chunk as Buffer);
    return { key, size, sha256: hash.digest('hex') };
  }

  async delete(key: string): Promise<boolean> {
    // S3 answers a delete of nothing as a success; the port tells whether there was a blob.
    if (!(await this.head(key))) return false;
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: key }));
    return true;
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.#client.send(
        new ListObjectsV2Command({
          Bucket: this.#bucket,
          Prefix: prefix,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      for (const object of out.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  close(): Promise<void> {
    this.#client.destroy();
    return Promise.resolve();
  }
}

async function ensureBucket(client: S3Client, bucket: string): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return;
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    // Created meanwhile by another process, or already ours.
    const name = (error as { name?: string }).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  }
}

function isMissing(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    e.name === 'NoSuchKey' ||
    e.name === 'NotFound' ||
    e.name === 'NoSuchBucket' ||
    e.$metadata?.httpStatusCode === 404
  );
}

/** A local endpoint needs some region to sign with; AWS's comes from the SDK's own chain. */
function regionFor(options: S3BlobStoreOptions): { region?: string } {
  if (options.region) return { region: options.region };
  if (options.endpoint && !process.env['AWS_REGION']) return { region: 'us-east-1' };
  return {};
}
