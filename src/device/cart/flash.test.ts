import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test-support/temp-dir.js';
import { Flash } from './flash.js';

const session = {
  session_id: '6f1c2a9e-3b7d-4c1e-9a2f-5d8e7b6c4a31',
  status: 'active' as const,
  started_at: 1,
  scan_seq: 2,
  lines: [{ barcode: '4006381333931', sku: 'SKU-1', quantity: 2, price_cents: 249 }],
  weight_mismatches: 0,
};

describe('flash', () => {
  it('keeps the counter, session, queue and command outcomes across a reboot', async (t) => {
    const dir = await tempDir(t);
    const flash = await Flash.open(dir);
    const counters = [await flash.counter.next(), await flash.counter.next()];
    await flash.writeSession(session);
    await flash.enqueue({ counter: 11, payload: new Uint8Array([1, 2]) });
    await flash.enqueue({ counter: 9, payload: new Uint8Array([3]) });
    await flash.enqueue({ counter: 10, payload: new Uint8Array([4]) });
    await flash.dequeue(10);
    await flash.writeCommands([{ command_id: 'a', status: 'succeeded', at: 1 }]);
    assert.equal(await flash.countBoot(), 1);

    const again = await Flash.open(dir);
    const next = await again.counter.next();
    assert.ok(next > Math.max(...counters), 'a counter is never reused after a reboot');
    assert.deepEqual(await again.readSession(), session);
    assert.deepEqual(
      (await again.readQueue()).map((q) => q.counter),
      [9, 11],
      'counter order, acknowledged ones gone',
    );
    assert.deepEqual((await again.readQueue())[1]?.payload, new Uint8Array([1, 2]));
    assert.equal((await again.readCommands())[0]?.command_id, 'a');
    assert.equal(await again.countBoot(), 2);
  });

  it('a write cut off by a power loss leaves the previous version and no stray file', async (t) => {
    const dir = await tempDir(t);
    const flash = await Flash.open(dir);
    await flash.writeSession(session);
    // What a cut between writing the temporary file and the rename leaves behind.
    await writeFile(join(dir, 'session.json.dead.tmp'), '{"session_id": "half');
    await writeFile(join(dir, 'queue', '0000000000000005.msg.dead.tmp'), 'half');
    const again = await Flash.open(dir);
    assert.deepEqual(await again.readSession(), session);
    assert.deepEqual(await again.readQueue(), []);
    assert.deepEqual(
      (await readdir(dir, { recursive: true })).filter((f) => String(f).endsWith('.tmp')),
      [],
    );
    await again.writeSession(undefined);
    assert.equal(await again.readSession(), undefined);
  });
});
