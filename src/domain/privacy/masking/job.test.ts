import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { HEADER, maskingFixture } from '../../../../test-support/masking.js';
import { isFailure } from '../../../shared/failure.js';
import { parseRowDecision } from './decision.js';
import { domainTag } from './identifiers.js';

async function readCsv(path: string): Promise<Record<string, string>[]> {
  return parse(await readFile(path, 'utf8'), { columns: true }) as Record<string, string>[];
}

function failsWith(code: string, pattern?: RegExp) {
  return (error: unknown) => {
    assert.ok(isFailure(error), String(error));
    assert.equal(error.code, code);
    if (pattern) assert.match(error.message, pattern);
    return true;
  };
}

describe('mask job: one treatment per bucket', () => {
  it('hashes direct identifiers with HMAC-SHA256 under the current salt', async (t) => {
    const f = await maskingFixture(t);
    const record = await f.mask();
    const rows = await readCsv(join(f.work, 'out.csv'));
    const salt = await f.keys.salt(record.salt.id);
    const expected = createHmac('sha256', salt.material).update('TL-0001').digest('hex');
    assert.equal(rows[0]!['tool_serial'], expected);
    assert.equal(rows[2]!['tool_serial'], expected);
    // normalize: lowercase makes differently written emails one digest
    assert.equal(rows[0]!['operator_email'], rows[1]!['operator_email']);
    assert.match(rows[2]!['operator_email']!, /^[0-9a-f]{64}$/);
  });

  it('tokenises quasi-identifiers stably within the domain', async (t) => {
    const f = await maskingFixture(t);
    await f.mask();
    const rows = await readCsv(join(f.work, 'out.csv'));
    assert.match(
      rows[0]!['operator_name']!,
      new RegExp(`^tok_${domainTag('tool-telemetry')}_[0-9a-f]{32}$`),
    );
    assert.equal(rows[0]!['operator_name'], rows[2]!['operator_name']);
    assert.notEqual(rows[0]!['operator_name'], rows[1]!['operator_name']);
  });

  it('gives the same value different tokens in different domains, and stable ones across runs', async (t) => {
    const f = await maskingFixture(t);
    await f.mask({ output: join(f.work, 'a.csv') });
    await f.mask({ output: join(f.work, 'b.csv') });
    await f.mask({ domain: 'support-tickets', output: join(f.work, 'c.csv') });
    const [a, b, c] = await Promise.all(
      ['a', 'b', 'c'].map((n) => readCsv(join(f.work, `${n}.csv`))),
    );
    assert.equal(a![0]!['operator_name'], b![0]!['operator_name']);
    assert.notEqual(a![0]!['operator_name'], c![0]!['operator_name']);
    assert.notEqual(a![0]!['operator_name']!.slice(32), c![0]!['operator_name']!.slice(32));
  });

  it('generalises coordinates to the grid, ages to 5-year bins, times to the hour', async (t) => {
    const f = await maskingFixture(t);
    await f.mask();
    const rows = await readCsv(join(f.work, 'out.csv'));
    assert.deepEqual(
      rows.map((r) => [r['gps_lat'], r['age'], r['recorded_at']]),
      [
        ['51.51', '35-39', '2026-05-10T09:00:00Z'],
        ['-33.87', '20-24', '2026-05-10T10:00:00Z'],
        ['48.86', '60-64', '2026-05-10T10:00:00Z'],
      ],
    );
  });

  it('keeps behavioral columns exactly, because the rubric lists them', async (t) => {
    const f = await maskingFixture(t);
    await f.mask();
    const rows = await readCsv(join(f.work, 'out.csv'));
    assert.deepEqual(
      rows.map((r) => [r['battery_pct'], r['site_code']]),
      [
        ['88', 'S1'],
        ['40', 'S2'],
        ['12', 'S1'],
      ],
    );
  });

  it('redacts free text and logs each finding by row without the text', async (t) => {
    const f = await maskingFixture(t);
    const record = await f.mask();
    const rows = await readCsv(join(f.work, 'out.csv'));
    assert.equal(rows[0]!['notes'], 'Call [PERSON] on [PHONE]');
    assert.equal(rows[2]!['notes'], 'torque 45 Nm ok');
    assert.deepEqual(record.findings, { PERSON: 1, PHONE: 1 });
    const log = (await readFile(join(f.work, 'out.csv.findings.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      log.map((e) => [e.row, e.column, e.type]),
      [
        [1, 'notes', 'PERSON'],
        [1, 'notes', 'PHONE'],
      ],
    );
    assert.ok(!JSON.stringify(log).includes('Ana'));
  });
});

describe('mask job: the decision record', () => {
  it('puts a decision record on every row and the per-column decisions beside the output', async (t) => {
    const f = await maskingFixture(t);
    const record = await f.mask();
    const rows = await readCsv(join(f.work, 'out.csv'));
    for (const row of rows) {
      assert.deepEqual(parseRowDecision(row['_mask']), {
        rubric: 'test-telemetry',
        version: 1,
        sha: f.rubric.sha256.slice(0, 12),
        domain: 'tool-telemetry',
        salt: record.salt.id,
        run: record.run,
      });
    }
    const sidecar = JSON.parse(await readFile(join(f.work, 'out.csv.mask.json'), 'utf8'));
    assert.equal(sidecar.run, record.run);
    assert.equal(sidecar.rows, 3);
    assert.deepEqual(
      sidecar.columns.map(
        (c: { column: string; bucket: string; treatment: string }) =>
          `${c.column}:${c.bucket}:${c.treatment}`,
      ),
      [
        'recorded_at:sensitive:truncate-time',
        'tool_serial:direct-identifier:hmac',
        'operator_email:direct-identifier:hmac',
        'operator_name:quasi-identifier:token',
        'gps_lat:sensitive:grid',
        'age:sensitive:bin',
        'battery_pct:behavioral:keep',
        'site_code:behavioral:keep',
        'notes:free-text:redact',
      ],
    );
  });
});

describe('mask job: salts and rotation', () => {
  it('hashes differently after the quarter turns and records the new salt id', async (t) => {
    const f = await maskingFixture(t);
    const q2 = await f.mask({ output: join(f.work, 'q2.csv') });
    f.clock.current = new Date('2026-07-10T00:00:00Z');
    const q3 = await f.mask({ output: join(f.work, 'q3.csv') });
    assert.notEqual(q2.salt.id, q3.salt.id);
    const [a, b] = await Promise.all([
      readCsv(join(f.work, 'q2.csv')),
      readCsv(join(f.work, 'q3.csv')),
    ]);
    assert.notEqual(a[0]!['tool_serial'], b[0]!['tool_serial']);
    // tokens are keyed per domain, not salted: they survive rotation
    assert.equal(a[0]!['operator_name'], b[0]!['operator_name']);
  });

  it('re-hashes with the previous salt for 30 days after rotation so joins still work, and refuses after', async (t) => {
    const f = await maskingFixture(t);
    const q2 = await f.mask({ output: join(f.work, 'q2.csv') });
    f.clock.current = new Date('2026-07-30T23:00:00Z');
    const again = await f.mask({ saltId: q2.salt.id, output: join(f.work, 'join.csv') });
    assert.equal(again.salt.id, q2.salt.id);
    const [a, b] = await Promise.all([
      readCsv(join(f.work, 'q2.csv')),
      readCsv(join(f.work, 'join.csv')),
    ]);
    assert.equal(a[0]!['tool_serial'], b[0]!['tool_serial']);
    f.clock.current = new Date('2026-07-31T00:00:00Z');
    await assert.rejects(
      f.mask({ saltId: q2.salt.id, output: join(f.work, 'late.csv') }),
      failsWith('salt-expired'),
    );
  });
});

describe('mask job: fails closed', () => {
  it('refuses a column the rubric does not name, names it, and writes nothing', async (t) => {
    const f = await maskingFixture(t);
    const input = await f.csv('extra.csv', [
      `${HEADER},home_phone`,
      '2026-05-10T09:00:00Z,T,e@x.io,N,1,2,3,S,,555',
    ]);
    await assert.rejects(f.mask({ input }), failsWith('unknown-column', /'home_phone'/));
    assert.deepEqual((await readdir(f.work)).sort(), ['extra.csv', 'in.csv']);
    assert.deepEqual(await readdir(join(f.data, 'privacy', 'tokens', 'tool-telemetry')), []);
  });

  it('refuses an unknown key in JSON Lines with its line number', async (t) => {
    const f = await maskingFixture(t);
    const input = await f.csv('in.jsonl', [
      '{"tool_serial":"T1"}',
      '{"tool_serial":"T2","imei":"490154203237518"}',
    ]);
    await assert.rejects(
      f.mask({ input, output: join(f.work, 'o.jsonl') }),
      failsWith('unknown-column', /line 2.*'imei'/),
    );
  });

  it('refuses a free-text value that is not text, and a value a treatment cannot process, by line', async (t) => {
    const f = await maskingFixture(t);
    const json = await f.csv('in.jsonl', ['{"notes":"fine"}', '{"notes":{"nested":"Ana Lima"}}']);
    await assert.rejects(
      f.mask({ input: json, output: join(f.work, 'o.jsonl') }),
      failsWith('unprocessable-value', /line 2: column 'notes'/),
    );
    const csv = await f.csv('bad.csv', [HEADER, '2026-05-10T09:00:00Z,T,e@x.io,N,north,2,3,S,']);
    await assert.rejects(f.mask({ input: csv }), (error: unknown) => {
      assert.ok(isFailure(error) && error.code === 'unprocessable-value');
      assert.match(error.message, /line 2: column 'gps_lat': the value is not a number/);
      assert.ok(!error.message.includes('north'));
      return true;
    });
  });

  it('reports a malformed CSV or JSON line by number', async (t) => {
    const f = await maskingFixture(t);
    const csv = await f.csv('short.csv', [
      HEADER,
      '2026-05-10T09:00:00Z,T,e@x.io,N,1,2,3,S,',
      'only,three,fields',
    ]);
    await assert.rejects(
      f.mask({ input: csv }),
      failsWith('malformed-input', /line 3: expected 9 fields/),
    );
    const quote = await f.csv('quote.csv', [HEADER, '2026-05-10T09:00:00Z,T,e@x.io,"N,1,2,3,S,']);
    await assert.rejects(f.mask({ input: quote }), failsWith('malformed-input', /line 2/));
    const jsonl = await f.csv('bad.jsonl', ['{"notes":"a"}', '', '{"notes": "b"']);
    await assert.rejects(
      f.mask({ input: jsonl, output: join(f.work, 'o.jsonl') }),
      failsWith('malformed-input', /line 3: not JSON/),
    );
  });

  it('refuses input that already carries a decision record', async (t) => {
    const f = await maskingFixture(t);
    await f.mask();
    await assert.rejects(
      f.mask({ input: join(f.work, 'out.csv'), output: join(f.work, 'twice.csv') }),
      failsWith('reserved-column'),
    );
  });
});

describe('mask job: JSON Lines', () => {
  it('masks JSON Lines row by row, keeping each row its own keys', async (t) => {
    const f = await maskingFixture(t);
    const input = await f.csv('in.jsonl', [
      '{"tool_serial":"TL-0001","battery_pct":88}',
      '{"notes":"mail ana@example.com","gps_lat":51.50741}',
    ]);
    await f.mask({ input, output: join(f.work, 'out.jsonl') });
    const rows = (await readFile(join(f.work, 'out.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.match(rows[0].tool_serial, /^[0-9a-f]{64}$/);
    assert.equal(rows[0].battery_pct, 88);
    assert.deepEqual([rows[1].notes, rows[1].gps_lat], ['mail [EMAIL]', 51.51]);
    assert.ok(rows.every((r) => typeof r._mask === 'string'));
  });
});
