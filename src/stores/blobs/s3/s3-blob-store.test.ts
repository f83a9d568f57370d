import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startS3rver } from '../../../../test-support/local-aws.js';
import { runBlobStoreContract } from '../blob-store.contract.js';
import { S3BlobStore } from './s3-blob-store.js';

runBlobStoreContract('S3 (s3rver)', async (t) => {
  const { endpoint } = await startS3rver(t);
  const store = await S3BlobStore.open({ endpoint, bucket: 'fleetplane-blobs' });
  t.after(() => store.close());
  return store;
});

describe('S3BlobStore', () => {
  it('creates its bucket on first open and finds its blobs on the next', async (t) => {
    const { endpoint } = await startS3rver(t);
    const first = await S3BlobStore.open({ endpoint, bucket: 'fleetplane-blobs' });
    const info = await first.put('receipts/r1.json', Buffer.from('{"total":1}'));
    await first.close();
    const second = await S3BlobStore.open({ endpoint, bucket: 'fleetplane-blobs' });
    t.after(() => second.close());
    assert.deepEqual(await second.head('receipts/r1.json'), info);
  });
});
