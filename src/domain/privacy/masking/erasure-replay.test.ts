import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../../test-support/temp-dir.js';
import { reapplyTokenErasures } from './erasure-replay.js';
import { tokenDigest } from './token-erasures.js';

const ERASED = `tok_0a1b2c3d_${'a'.repeat(32)}`;
const KEPT = `tok_0a1b2c3d_${'b'.repeat(32)}`;
const line = (token: string) => `{"t":"${token}","v":{"iv":"x","ct":"y","tag":"z"}}`;

async function restoredDir(t: Parameters<typeof tempDir>[0]) {
  const data = await tempDir(t);
  const tokens = join(data, 'privacy', 'tokens', 'loyalty-events');
  await mkdir(tokens, { recursive: true });
  await writeFile(join(tokens, 'run-1.jsonl'), `${line(ERASED)}\n${line(KEPT)}\n`);
  return { data, segment: join(tokens, 'run-1.jsonl') };
}

describe('re-applying token erasures after a restore', () => {
  it('removes from restored segments the entries an erasure list made after the backup names', async (t) => {
    const { data, segment } = await restoredDir(t);
    const later = new Map([
      [
        'loyalty-events.jsonl',
        JSON.stringify({ h: tokenDigest(ERASED), at: '2026-12-07T08:00:00.000Z' }) + '\n',
      ],
    ]);
    const result = await reapplyTokenErasures(data, [later]);
    assert.deepEqual(result, { erasures: 1, purged: 1 });
    assert.equal(await readFile(segment, 'utf8'), `${line(KEPT)}\n`);
    const ledger = await readFile(
      join(data, 'privacy', 'token-erasures', 'loyalty-events.jsonl'),
      'utf8',
    );
    assert.match(ledger, new RegExp(tokenDigest(ERASED)));
  });

  it('merges the lists, keeping each digest once at its earliest time', async (t) => {
    const { data } = await restoredDir(t);
    const entry = (at: string) => JSON.stringify({ h: tokenDigest(ERASED), at }) + '\n';
    await mkdir(join(data, 'privacy', 'token-erasures'), { recursive: true });
    await writeFile(
      join(data, 'privacy', 'token-erasures', 'loyalty-events.jsonl'),
      entry('2026-12-05T00:00:00.000Z'),
    );
    await reapplyTokenErasures(data, [
      new Map([['loyalty-events.jsonl', entry('2026-12-01T00:00:00.000Z')]]),
    ]);
    const ledger = await readFile(
      join(data, 'privacy', 'token-erasures', 'loyalty-events.jsonl'),
      'utf8',
    );
    assert.equal(ledger, entry('2026-12-01T00:00:00.000Z'));
  });

  it('leaves segments alone when nothing was erased', async (t) => {
    const { data, segment } = await restoredDir(t);
    assert.deepEqual(await reapplyTokenErasures(data, [new Map()]), { erasures: 0, purged: 0 });
    assert.equal(await readFile(segment, 'utf8'), `${line(ERASED)}\n${line(KEPT)}\n`);
  });
});
