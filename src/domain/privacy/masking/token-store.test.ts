import assert from 'node:assert/strict';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { maskingFixture } from '../../../../test-support/masking.js';
import { isFailure } from '../../../shared/failure.js';
import { detokenize } from './token-store.js';

describe('token mapping store', () => {
  it('keeps the mapping encrypted at rest in a private file apart from the output', async (t) => {
    const f = await maskingFixture(t);
    const record = await f.mask();
    const dir = join(f.data, 'privacy', 'tokens', 'tool-telemetry');
    const [segment] = await readdir(dir);
    assert.equal(segment, `${record.run}.jsonl`);
    const text = await readFile(join(dir, segment!), 'utf8');
    assert.ok(!text.includes('Ana Lima') && !text.includes('Kwame'));
    if (process.platform !== 'win32')
      assert.equal((await stat(join(dir, segment!))).mode & 0o777, 0o600);
  });

  it('detokenizes only with a reason, and audits who, why, when and which token first', async (t) => {
    const f = await maskingFixture(t);
    await f.mask();
    const rows = parse(await readFile(join(f.work, 'out.csv'), 'utf8'), {
      columns: true,
    }) as Record<string, string>[];
    const token = rows[0]!['operator_name']!;
    const result = await detokenize(
      {
        dataDir: f.data,
        domain: 'tool-telemetry',
        token,
        reason: 'incident INC-42: damaged drill',
        actor: 'auditor-1',
        now: f.clock.now(),
      },
      f.keys,
    );
    assert.equal(result.value, 'Ana Lima');
    const audit = JSON.parse(await readFile(result.auditFile, 'utf8'));
    assert.deepEqual(
      {
        actor: audit.actor,
        reason: audit.reason,
        token: audit.token,
        at: audit.at,
        found: audit.found,
        domain: audit.domain,
      },
      {
        actor: 'auditor-1',
        reason: 'incident INC-42: damaged drill',
        token,
        at: '2026-05-10T12:00:00.000Z',
        found: true,
        domain: 'tool-telemetry',
      },
    );
  });

  it('finds nothing for a token of the same value from another domain, and audits the attempt', async (t) => {
    const f = await maskingFixture(t);
    await f.mask({ domain: 'support-tickets', output: join(f.work, 'other.csv') });
    const rows = parse(await readFile(join(f.work, 'other.csv'), 'utf8'), {
      columns: true,
    }) as Record<string, string>[];
    await assert.rejects(
      detokenize(
        {
          dataDir: f.data,
          domain: 'tool-telemetry',
          token: rows[0]!['operator_name']!,
          reason: 'test',
          now: f.clock.now(),
        },
        f.keys,
      ),
      (e: unknown) => isFailure(e) && e.code === 'unknown-token',
    );
    assert.equal((await readdir(join(f.data, 'privacy', 'audit', 'detokenize'))).length, 1);
  });
});
