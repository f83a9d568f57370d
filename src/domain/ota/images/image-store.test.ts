import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { tempDir } from '../../../../test-support/temp-dir.js';
import { DirectoryBlobStore } from '../../../stores/blobs/directory-blob-store.js';
import { ImageStore } from './image-store.js';

describe('ImageStore', () => {
  it('stores an image under firmware/<sha256>, once, and hands it back by that id', async (t) => {
    const blobs = new DirectoryBlobStore(await tempDir(t));
    const images = new ImageStore(blobs);
    const bytes = Buffer.alloc(100_000, 7);
    const id = createHash('sha256').update(bytes).digest('hex');

    assert.equal(await images.has(id), false);
    assert.equal(await images.open(id), undefined);
    const first = await images.put(bytes);
    assert.deepEqual(first, { imageId: id, size: 100_000, created: true });
    assert.deepEqual(await blobs.list('firmware/'), [`firmware/${id}`]);
    const again = await images.put(bytes);
    assert.deepEqual(again, { imageId: id, size: 100_000, created: false });

    assert.equal(await images.has(id), true);
    assert.deepEqual(await images.head(id), { imageId: id, size: 100_000 });
    assert.ok((await images.get(id))?.equals(bytes));
    const opened = await images.open(id);
    assert.equal(opened?.size, 100_000);
    opened?.stream.destroy();
  });

  it('answers unknown for ids that are not image ids, without asking the blob store', async (t) => {
    const images = new ImageStore(new DirectoryBlobStore(await tempDir(t)));
    for (const id of ['', '../receipts/x', 'A'.repeat(64), 'a'.repeat(63)]) {
      assert.equal(await images.has(id), false, id);
      assert.equal(await images.open(id), undefined, id);
    }
  });
});
