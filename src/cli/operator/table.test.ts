import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compactDuration, relativeTime } from './relative-time.js';
import { ellipsize, renderTable, TERMINAL_WIDTH } from './table.js';

describe('operator tables', () => {
  it('lines columns up under their headers, numbers on the right', () => {
    const lines = renderTable(
      [{ header: 'DEVICE' }, { header: 'BATTERY', align: 'right' }],
      [
        ['CART-1', '7%'],
        ['CART-0002', '100%'],
      ],
    );
    assert.deepEqual(lines, ['DEVICE     BATTERY', 'CART-1          7%', 'CART-0002     100%']);
  });

  it('fits 80 columns by narrowing the widest column and ellipsizing what was cut', () => {
    const long = 'x'.repeat(120);
    const lines = renderTable(
      [{ header: 'ID' }, { header: 'TYPE' }, { header: 'DETAIL', min: 10 }],
      [
        ['CART-0001', 'health', long],
        ['CART-0002', 'scan', 'short'],
      ],
    );
    for (const line of lines) assert.ok([...line].length <= TERMINAL_WIDTH, line);
    assert.equal([...lines[1]!].length, TERMINAL_WIDTH);
    assert.ok(lines[1]!.endsWith('x…'));
    assert.ok(lines[1]!.startsWith('CART-0001  health  x'), 'narrow columns keep their width');
    assert.equal(lines[2], 'CART-0002  scan    short');
  });

  it('shares the cut between wide columns and never goes below a minimum', () => {
    const lines = renderTable(
      [{ header: 'A', min: 30 }, { header: 'B' }],
      [['a'.repeat(60), 'b'.repeat(60)]],
      40,
    );
    assert.equal(lines[1], `${'a'.repeat(29)}…  ${'b'.repeat(7)}…`);
    const stuck = renderTable([{ header: 'WIDE HEADER' }], [['x'.repeat(20)]], 5);
    assert.equal(stuck[1], `${'x'.repeat(10)}…`, 'a header is the floor even past the width');
  });

  it('ellipsizes by characters, not bytes', () => {
    assert.equal(ellipsize('Größenänderung', 6), 'Größe…');
    assert.equal(ellipsize('short', 6), 'short');
  });

  it('says times relative to now in one unit', () => {
    const now = Date.parse('2026-12-06T12:00:00Z');
    assert.equal(relativeTime('2026-12-06T11:59:20Z', now), '40s ago');
    assert.equal(relativeTime('2026-12-06T09:30:00Z', now), '2h ago');
    assert.equal(relativeTime('2026-12-04T12:00:00Z', now), '2d ago');
    assert.equal(relativeTime('2026-12-06T12:05:00Z', now), 'in 5m');
    assert.equal(relativeTime(null, now), '-');
    assert.equal(compactDuration(950), '950ms');
  });
});
