import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, it, type TestContext } from 'node:test';
import type { BlobStore } from './blob-store.js';

/** What every blob store adapter must do; each adapter's test runs this suite. */
export function runBlobStoreContract(
  name: string,
  open: (t: TestContext) => Promise<BlobStore>,
): void {
  describe(`BlobStore contract: ${name}`, () => {
    it('stores, describes, lists, reads back and deletes blobs', async (t) => {
      const store = await open(t);
      const content = Buffer.from('firmware image 2.4.1');
      const info = await store.put('firmware/cart/2.4.1.bin', content);
      assert.equal(info.size, content.length);
      assert.equal(info.sha256, createHash('sha256').update(content).digest('hex'));
      await store.put(
        'firmware/cart/2.5.0.bin',
        Readable.from([Buffer.from('a'), Buffer.from('b')]),
      );
      await store.put('receipts/r1.json', Buffer.from('{}'));
      assert.deepEqual(await store.list('firmware/'), [
        'firmware/cart/2.4.1.bin',
        'firmware/cart/2.5.0.bin',
      ]);
      assert.deepEqual(await store.head('firmware/cart/2.4.1.bin'), info);
      assert.equal(await text((await store.get('firmware/cart/2.5.0.bin'))!), 'ab');
      assert.equal(await store.delete('receipts/r1.json'), true);
      assert.equal(await store.get('receipts/r1.json'), undefined);
      assert.equal(await store.head('receipts/r1.json'), undefined);
    });

    it('replaces a blob whole and refuses keys that could leave the store', async (t) => {
      const store = await open(t);
      await store.put('a/b', Buffer.from('one'));
      await store.put('a/b', Buffer.from('two'));
      assert.equal(await text((await store.get('a/b'))!), 'two');
      for (const key of ['../etc/passwd', '/abs', 'a//b', 'a/../../b', '']) {
        await assert.rejects(store.put(key, Buffer.from('x')), { code: 'invalid-blob-key' });
      }
    });

    it('keeps bytes exactly, tells the digest of a streamed blob, and knows nothing it lacks', async (t) => {
      const store = await open(t);
      const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256));
      const info = await store.put(
        'archives/2026/11.bin',
        Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]),
      );
      assert.equal(info.sha256, createHash('sha256').update(bytes).digest('hex'));
      assert.equal(info.size, bytes.length);
      const back = Buffer.concat(await (await store.get('archives/2026/11.bin'))!.toArray());
      assert.ok(back.equals(bytes));
      assert.deepEqual(await store.list('nothing/'), []);
      assert.equal(await store.delete('nothing/here'), false);
      assert.equal(await store.get('nothing/here'), undefined);
    });
  });
}
