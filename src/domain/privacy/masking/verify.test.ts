import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { RUBRIC_V1, maskingFixture } from '../../../../test-support/masking.js';
import { parseRubric } from './rubric/index.js';
import { verifyMasked, type DriftKind } from './verify.js';

type Row = Record<string, string>;

/** Masks the fixture, applies `breakIt` to the output rows, and verifies the result. */
async function verifyBroken(
  t: TestContext,
  breakIt: (rows: Row[], columns: string[]) => string[] | void,
  rubricText = RUBRIC_V1,
) {
  const f = await maskingFixture(t);
  await f.mask();
  const path = join(f.work, 'out.csv');
  const rows = parse(await readFile(path, 'utf8'), { columns: true }) as Row[];
  let columns = Object.keys(rows[0]!);
  columns = breakIt(rows, columns) ?? columns;
  await writeFile(path, stringify(rows, { header: true, columns }));
  return verifyMasked({ rubric: parseRubric(rubricText, 'test.rubric.yaml'), input: path });
}

function expectDrift(result: Awaited<ReturnType<typeof verifyMasked>>, kind: DriftKind) {
  assert.equal(result.ok, false, `expected drift ${kind}`);
  assert.ok(
    (result.counts[kind] ?? 0) > 0,
    `expected ${kind}, got ${JSON.stringify(result.counts)}`,
  );
}

describe('mask verify', () => {
  it('passes output the job produced', async (t) => {
    const result = await verifyBroken(t, () => undefined);
    assert.deepEqual(result.counts, {});
    assert.equal(result.ok, true);
    assert.equal(result.rows, 3);
  });

  it('catches a raw value that survived in a hashed column', async (t) => {
    const result = await verifyBroken(t, (rows) => {
      rows[1]!['operator_email'] = 'ana.lima@example.com';
    });
    expectDrift(result, 'raw-value');
    assert.deepEqual(result.examples[0], { kind: 'raw-value', line: 3, column: 'operator_email' });
  });

  it('catches a digest of the wrong shape', async (t) => {
    expectDrift(
      await verifyBroken(t, (rows) => {
        rows[0]!['tool_serial'] = rows[0]!['tool_serial']!.slice(0, 40);
      }),
      'malformed-digest',
    );
  });

  it('catches a raw value in a tokenised column', async (t) => {
    expectDrift(
      await verifyBroken(t, (rows) => {
        rows[0]!['operator_name'] = 'Ana Lima';
      }),
      'raw-value',
    );
  });

  it('catches a token from another data domain', async (t) => {
    expectDrift(
      await verifyBroken(t, (rows) => {
        rows[0]!['operator_name'] = `tok_00000000_${'a'.repeat(32)}`;
      }),
      'foreign-token',
    );
  });

  it('catches a coordinate off the grid, an age out of its bin and a time off the hour', async (t) => {
    const result = await verifyBroken(t, (rows) => {
      rows[0]!['gps_lat'] = '51.50741';
      rows[1]!['age'] = '22';
      rows[2]!['recorded_at'] = '2026-05-10T10:59:59Z';
    });
    expectDrift(result, 'off-grid');
    expectDrift(result, 'off-bin');
    expectDrift(result, 'not-truncated');
  });

  it('catches PII left in free text and in a kept column', async (t) => {
    const result = await verifyBroken(t, (rows) => {
      rows[2]!['notes'] = 'ring Kwame Mensah on +44 7700 900456';
      rows[1]!['site_code'] = 'bo@example.org';
    });
    expectDrift(result, 'pii-in-free-text');
    expectDrift(result, 'pii-in-kept-column');
  });

  it('catches a column nobody accounted for', async (t) => {
    const result = await verifyBroken(t, (rows, columns) => {
      for (const r of rows) r['phone'] = '+44 7700 900123';
      return [...columns, 'phone'];
    });
    expectDrift(result, 'unaccounted-column');
  });

  it('catches rows without a decision record', async (t) => {
    expectDrift(
      await verifyBroken(t, (_rows, columns) => columns.filter((c) => c !== '_mask')),
      'missing-decision-record',
    );
  });

  it('catches output masked under another rubric version or an edited rubric', async (t) => {
    expectDrift(
      await verifyBroken(t, () => undefined, RUBRIC_V1.replace('version: 1', 'version: 2')),
      'wrong-rubric',
    );
    expectDrift(
      await verifyBroken(t, () => undefined, RUBRIC_V1.replace('width: 5', 'width: 10')),
      'wrong-rubric',
    );
  });

  it('catches rows from two domains in one file', async (t) => {
    expectDrift(
      await verifyBroken(t, (rows) => {
        rows[1]!['_mask'] = rows[1]!['_mask']!.replace('domain=tool-telemetry', 'domain=billing');
      }),
      'mixed-domains',
    );
  });
});
