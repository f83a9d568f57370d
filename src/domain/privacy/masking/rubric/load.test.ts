import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFailure } from '../../../../shared/failure.js';
import { loadRubric, parseRubric } from './load.js';

function invalid(source: string, pattern: RegExp) {
  assert.throws(
    () => parseRubric(source),
    (e: unknown) => isFailure(e) && e.code === 'invalid-rubric' && pattern.test(e.message),
  );
}

describe('rubric loader', () => {
  it('loads the shipped example with all five buckets', async () => {
    const rubric = await loadRubric(
      new URL('../../../../../examples/tool-telemetry.rubric.yaml', import.meta.url).pathname,
    );
    assert.equal(rubric.name, 'tool-telemetry');
    assert.deepEqual(
      new Set([...rubric.columns.values()].map((c) => c.bucket)),
      new Set(['direct-identifier', 'quasi-identifier', 'sensitive', 'behavioral', 'free-text']),
    );
    assert.match(rubric.sha256, /^[0-9a-f]{64}$/);
  });

  it('says which key is wrong', () => {
    invalid(
      'rubric: x\nversion: 1\ncolumns:\n  a: { bucket: sensitive, treatment: grid }\n',
      /columns\.a .*step/,
    );
    invalid(
      'rubric: x\nversion: 1\ncolumns:\n  a: { bucket: sensitive, treatment: blur }\n',
      /columns\.a\.treatment 'blur'/,
    );
    invalid(
      'rubric: x\nversion: one\ncolumns:\n  a: { bucket: behavioral, treatment: keep, reason: "a good reason" }\n',
      /version/,
    );
    invalid(
      'rubric: x\nversion: 1\ncolumns:\n  a: { bucket: behavioral, treatment: keep }\n',
      /reason/,
    );
  });

  it('refuses a treatment outside its bucket, and a kept column without a reason', () => {
    invalid(
      'rubric: x\nversion: 1\ncolumns:\n  email: { bucket: behavioral, treatment: hmac }\n',
      /columns\.email\.bucket/,
    );
  });

  it('refuses keys that would carry secrets and the reserved decision column', () => {
    invalid(
      'rubric: x\nversion: 1\nsalt: abc\ncolumns:\n  a: { bucket: direct-identifier, treatment: hmac }\n',
      /salt/,
    );
    invalid(
      'rubric: x\nversion: 1\ncolumns:\n  a: { bucket: direct-identifier, treatment: hmac, salt: abc }\n',
      /salt/,
    );
    invalid(
      'rubric: x\nversion: 1\ncolumns:\n  _mask: { bucket: direct-identifier, treatment: hmac }\n',
      /_mask/,
    );
  });

  it('refuses a column name that is not a plain identifier', () => {
    invalid(
      'rubric: x\nversion: 1\ncolumns:\n  "a b": { bucket: direct-identifier, treatment: hmac }\n',
      /columns/,
    );
  });
});
