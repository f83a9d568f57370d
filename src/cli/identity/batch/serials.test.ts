import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../command.js';
import { numberedSerials, parseSerialsCsv } from './serials.js';

describe('batch serials', () => {
  it('numbers a prefix zero-padded to at least four digits, from --first', () => {
    assert.deepEqual(numberedSerials('CART-', 3, 1), ['CART-0001', 'CART-0002', 'CART-0003']);
    assert.deepEqual(numberedSerials('T', 2, 9999), ['T09999', 'T10000']);
    assert.throws(() => numberedSerials('bad/', 2, 1), /--prefix 'bad\/' makes serials like/);
    assert.throws(() => numberedSerials('A', 0, 1), /--batch must be between 1 and/);
  });

  it('reads a CSV with a header, skipping blank lines and surrounding quotes', () => {
    const text = '\uFEFFSerial\r\nSN-1\r\n\r\n"SN-2"\r\n';
    assert.deepEqual(parseSerialsCsv(text, 'f.csv'), ['SN-1', 'SN-2']);
  });

  it('refuses a bad line with its line number', () => {
    const refuse = (text: string, message: RegExp) =>
      assert.throws(
        () => parseSerialsCsv(text, 'f.csv'),
        (e: unknown) => e instanceof UsageError && message.test(e.message),
      );
    refuse('serial\nSN-1\nSN 2\n', /^f\.csv line 3: 'SN 2' is not a valid serial/);
    refuse('serial\nSN-1\n\nSN-1\n', /^f\.csv line 4: 'SN-1' repeats line 2/);
    refuse('serial\nSN-1,berlin-1\n', /^f\.csv line 2: one column/);
    refuse('SN-1\nSN-2\n', /^f\.csv line 1: expected the header 'serial'/);
    refuse('serial\n\n', /no serials after the header/);
  });
});
