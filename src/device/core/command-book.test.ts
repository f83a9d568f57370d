import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { CommandRequest } from '../../contract/index.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { Flash } from '../cart/flash.js';
import { CommandBook } from './command-book.js';

const NOW = Date.parse('2026-11-23T09:00:00.000Z');

function command(expiresIn = 60_000): CommandRequest {
  return {
    schema_version: 1,
    device_id: 'CART-1',
    type: 'command',
    ts: new Date(NOW).toISOString(),
    command_id: randomUUID(),
    name: 'attach-customer',
    expires_at: new Date(NOW + expiresIn).toISOString(),
  };
}

describe('command book', () => {
  it('runs a command once and answers a second delivery with the first outcome', async (t) => {
    const flash = await Flash.open(await tempDir(t));
    const book = await CommandBook.open(flash);
    let runs = 0;
    const execute = async () => {
      runs++;
      return { status: 'succeeded' as const };
    };
    const c = command();
    const [a, b] = await Promise.all([book.handle(c, NOW, execute), book.handle(c, NOW, execute)]);
    const third = await book.handle(c, NOW, execute);
    assert.equal(runs, 1);
    assert.deepEqual([a, b].map((x) => x.duplicate).sort(), [false, true]);
    assert.deepEqual(third, { status: 'succeeded', duplicate: true });

    // After a reboot the id is still known.
    const rebooted = await CommandBook.open(flash);
    assert.deepEqual(await rebooted.handle(c, NOW, execute), {
      status: 'succeeded',
      duplicate: true,
    });
    assert.equal(runs, 1);
  });

  it('answers a delivery that arrives while the first runs only after the first has answered', async (t) => {
    const flash = await Flash.open(await tempDir(t));
    const book = await CommandBook.open(flash);
    const answered: boolean[] = [];
    const c = command();
    // The first delivery's outcome is still being written to flash when the second arrives.
    const first = book
      .handle(c, NOW, async () => ({ status: 'succeeded' as const }))
      .then((a) => answered.push(a.duplicate));
    await new Promise((r) => setImmediate(r));
    const second = book
      .handle(c, NOW, async () => assert.fail('ran twice'))
      .then((a) => answered.push(a.duplicate));
    await Promise.all([first, second]);
    assert.deepEqual(answered, [false, true], 'the first answer goes out first');
  });

  it('rejects an expired command without running it, and reports a failure', async (t) => {
    const book = await CommandBook.open(await Flash.open(await tempDir(t)));
    const expired = await book.handle(command(-1), NOW, async () => assert.fail('ran'));
    assert.deepEqual(expired, { status: 'rejected', code: 'expired', duplicate: false });
    const failed = await book.handle(command(), NOW, async () => {
      throw new Error('boom');
    });
    assert.equal(failed.status, 'failed');
  });
});
