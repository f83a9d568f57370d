import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseS3BlobUrl } from './blob-url.js';

describe('parseS3BlobUrl', () => {
  it('reads the bucket, an S3-compatible endpoint and a region', () => {
    assert.deepEqual(parseS3BlobUrl('s3://fleet-blobs'), { bucket: 'fleet-blobs' });
    assert.deepEqual(
      parseS3BlobUrl('s3://fleet-blobs?endpoint=http://127.0.0.1:9000/&region=eu-west-1'),
      {
        bucket: 'fleet-blobs',
        endpoint: 'http://127.0.0.1:9000',
        region: 'eu-west-1',
      },
    );
  });

  it('refuses other schemes, bucket names S3 refuses, paths and endpoints that are not URLs', () => {
    for (const url of [
      'http://b/x',
      's3://B',
      's3://ab',
      's3://bucket/key',
      's3://bucket?endpoint=localhost:9000',
      '',
    ]) {
      assert.throws(() => parseS3BlobUrl(url), { code: 'invalid-blob-url' });
    }
  });
});
