import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CsvSyntaxError, readCsv } from './csv.js';

describe('readCsv', () => {
  it('splits records and fields, with or without a final line break', () => {
    assert.deepEqual(readCsv('a,b\n1,2'), [
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
    assert.deepEqual(readCsv('a,b\r\n1,2\r\n'), readCsv('a,b\n1,2'));
  });

  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    const records = readCsv(
      'sku,name\nA,"Milk, 1 l"\nB,"The ""best"" bread"\nC,"two\nlines"\nD,x\n',
    );
    assert.deepEqual(
      records.map((r) => [r.line, r.fields[1]]),
      [
        [1, 'name'],
        [2, 'Milk, 1 l'],
        [3, 'The "best" bread'],
        [4, 'two\nlines'],
        [6, 'x'],
      ],
    );
  });

  it('keeps empty fields and skips blank lines and a byte order mark', () => {
    assert.deepEqual(readCsv('\uFEFFa,,c\n\n,\n'), [
      { line: 1, fields: ['a', '', 'c'] },
      { line: 3, fields: ['', ''] },
    ]);
  });

  it('says on which line a quoted field is never closed', () => {
    assert.throws(
      () => readCsv('a\n"open\nstill open'),
      (error: unknown) => error instanceof CsvSyntaxError && error.line === 2,
    );
  });

  it('refuses stray quotes instead of guessing', () => {
    assert.throws(() => readCsv('a,b"c'), /quote inside an unquoted field/);
    assert.throws(() => readCsv('"a"b,c'), /text after a closing quote/);
  });
});
