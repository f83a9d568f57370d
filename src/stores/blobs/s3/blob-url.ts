import { Failure } from '../../../shared/failure.js';

export class BlobUrlFailure extends Failure<'invalid-blob-url'> {}

export interface S3BlobLocation {
  readonly bucket: string;
  /** An S3-compatible server; absent: AWS's endpoint for the region. */
  readonly endpoint?: string;
  readonly region?: string;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** `s3://BUCKET`, `s3://BUCKET?endpoint=http://127.0.0.1:9000`, `…&region=eu-west-1`. */
export function parseS3BlobUrl(text: string): S3BlobLocation {
  const bad = (why: string) =>
    new BlobUrlFailure(
      'invalid-blob-url',
      `'${text}' is not a blob URL: ${why} (s3://BUCKET, or s3://BUCKET?endpoint=http://HOST:PORT for an S3-compatible server)`,
    );
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad('it does not parse');
  }
  if (url.protocol !== 's3:') throw bad('the scheme must be s3:');
  if (!BUCKET_NAME.test(url.host)) throw bad('the bucket name must be 3-63 of a-z 0-9 . -');
  if (url.pathname !== '' && url.pathname !== '/') throw bad('the bucket takes no path');
  const endpoint = url.searchParams.get('endpoint') ?? undefined;
  if (endpoint !== undefined && !/^https?:\/\/[^/?#]+\/?$/.test(endpoint)) {
    throw bad('the endpoint must be an http(s)://HOST:PORT URL');
  }
  const region = url.searchParams.get('region') ?? undefined;
  return {
    bucket: url.host,
    ...(endpoint ? { endpoint: endpoint.replace(/\/$/, '') } : {}),
    ...(region ? { region } : {}),
  };
}
