import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { feedEvent } from '../../../test-support/feed-events.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { LocalKeyring } from '../../stores/keys/index.js';
import { loadRubric } from '../privacy/masking/index.js';
import { openEventMasking } from './event-masking.js';

const RUBRIC = new URL('../../../examples/tool-telemetry-export.rubric.yaml', import.meta.url)
  .pathname;
const OPERATOR = 'OP-4471-NOVAK';
const SITE = 'SITE-HAFENCITY-07';

const at = Date.parse('2026-03-01T10:37:12.345Z');
const toolReport = feedEvent({
  seq: 7,
  deviceId: 'TOOL-0042',
  deviceClass: 'tool',
  type: 'tool-telemetry',
  deviceTime: at,
  receivedAt: at + 2_000,
  body: JSON.stringify({
    type: 'tool-telemetry',
    device_id: 'TOOL-0042',
    counter: 7,
    ts: new Date(at).toISOString(),
    mode: 'drill',
    torque_nm: 12.5,
    rpm: 1800,
    usage_minutes: 3,
    battery_pct: 71,
    motor_temp_c: 44,
    operator: { alg: 'x', kid: 'k', epk: 'e', iv: 'i', ct: 'c', tag: 't' },
    job_site_id: SITE,
    location: { lat: 53.54321, lon: 9.98765, accuracy_m: 5, source: 'gnss' },
  }),
});

async function masking(t: TestContext, rubricFile = RUBRIC) {
  const dataDir = await tempDir(t);
  const m = await openEventMasking({
    rubrics: { 'tool-telemetry': await loadRubric(rubricFile) },
    keys: new LocalKeyring(dataDir),
    dataDir,
    openOperator: () => Promise.resolve(OPERATOR),
    run: 'run-1',
    now: () => new Date(at),
  });
  t.after(() => m.close());
  return { m, dataDir };
}

describe('export masking', () => {
  it('masks a tool report with its rubric: no serial, operator, site or exact place or time', async (t) => {
    const { m } = await masking(t);
    const row = await m.row(toolReport);
    const text = JSON.stringify(row);
    for (const raw of ['TOOL-0042', OPERATOR, SITE, '53.54321', '10:37']) {
      assert.ok(!text.includes(raw), `${raw} is not in the row`);
    }
    assert.match(row.deviceId!, /^[0-9a-f]{64}$/, 'the serial is an HMAC digest');
    assert.equal(row.ts, Date.parse('2026-03-01T10:00:00Z'));
    assert.equal(row.receivedAt, Date.parse('2026-03-01T10:00:00Z'));
    assert.equal(row.day, '2026-03-01');
    const body = JSON.parse(row.body) as Record<string, unknown>;
    assert.match(String(body['operator_id']), /^tok_[0-9a-f]{8}_[0-9a-f]{32}$/);
    assert.match(String(body['job_site_id']), /^tok_/);
    assert.equal(body['gps_lat'], 53.54);
    assert.equal(body['torque_nm'], 12.5);
    assert.match(
      row.mask!,
      /^rubric=tool-telemetry-export@1;sha=[0-9a-f]{12};domain=tool-telemetry;/,
    );
    assert.equal(m.masked, 1);
  });

  it('gives the same operator the same token in every run, so analysts can join on it', async (t) => {
    const { m } = await masking(t);
    const a = JSON.parse((await m.row(toolReport)).body) as Record<string, unknown>;
    const b = JSON.parse((await m.row({ ...toolReport, seq: 8 })).body) as Record<string, unknown>;
    assert.equal(a['operator_id'], b['operator_id']);
  });

  it('keeps the token mapping in the token store so detokenize can answer', async (t) => {
    const { m, dataDir } = await masking(t);
    await m.row(toolReport);
    await m.close();
    const segment = await readFile(
      join(dataDir, 'privacy/tokens/tool-telemetry/run-1.jsonl'),
      'utf8',
    );
    assert.equal(segment.trim().split('\n').length, 2, 'operator and job site');
    assert.ok(!segment.includes(OPERATOR), 'sealed, not in clear');
  });

  it('writes a type without personal data as stored', async (t) => {
    const { m } = await masking(t);
    const health = feedEvent({ seq: 3 });
    const row = await m.row(health);
    assert.equal(row.body, health.body);
    assert.equal(row.deviceId, 'CART-0001');
    assert.equal(row.mask, null);
  });

  it('fails closed when the rubric does not name a column the report has', async (t) => {
    const dir = await tempDir(t);
    const partial = join(dir, 'partial.rubric.yaml');
    const text = await readFile(RUBRIC, 'utf8');
    await writeFile(partial, text.replace(/ {2}job_site_id:\n( {4}.*\n)+/, ''));
    const { m } = await masking(t, partial);
    await assert.rejects(m.row(toolReport), /rubric does not name 'job_site_id'/);
  });
});
