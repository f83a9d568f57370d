import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withPlatformBackoff } from './platform-backoff.js';

describe('reaching the platform during an update', () => {
  it('tries again after each wait until the platform answers', async () => {
    const waits: number[] = [];
    let calls = 0;
    const answer = await withPlatformBackoff(
      async (ms) => void waits.push(ms),
      async () => {
        calls++;
        if (calls < 3) throw new Error('ECONNREFUSED');
        return 'server time';
      },
      () => true,
      [10, 20, 40],
    );
    assert.equal(answer, 'server time');
    assert.deepEqual(waits, [10, 20]);
  });

  it('gives up with the last failure once the waits are spent, at once on a refusal, or when the device went off', async () => {
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new Error(`refused ${calls}`);
    };
    await assert.rejects(
      withPlatformBackoff(
        async () => undefined,
        failing,
        () => true,
        [1, 1],
      ),
      /refused 3/,
    );
    calls = 0;
    await assert.rejects(
      withPlatformBackoff(
        async () => undefined,
        async () => {
          calls++;
          throw new Error('firmware: HTTP 403');
        },
        () => true,
        [1, 1],
      ),
      /HTTP 403/,
    );
    assert.equal(calls, 1, 'a refusal is not tried again');
    calls = 0;
    let on = true;
    await assert.rejects(
      withPlatformBackoff(
        async () => void (on = false),
        failing,
        () => on,
        [1, 1],
      ),
      /refused 1/,
    );
  });
});
