import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32 } from '../random.js';
import { Scanner } from './scanner.js';

describe('scanner', () => {
  it('reads 95 % of items on the first try, in about 500 ms', () => {
    const scanner = new Scanner(mulberry32(7));
    const n = 20_000;
    let ok = 0;
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = scanner.read();
      if (r.ok) ok++;
      times.push(r.readMs);
    }
    assert.ok(Math.abs(ok / n - 0.95) < 0.005, `success ${ok / n}`);
    times.sort((a, b) => a - b);
    const median = times[n / 2]!;
    assert.ok(median > 400 && median < 560, `median ${median}`);
    assert.ok(times[0]! >= 120 && times.at(-1)! <= 3000);
  });

  it('fails every read while jammed, until cleared', () => {
    const scanner = new Scanner(mulberry32(1));
    scanner.jam();
    for (let i = 0; i < 50; i++) assert.deepEqual(scanner.read().ok, false);
    assert.equal((scanner.read() as { reason: string }).reason, 'jammed');
    scanner.clearJam();
    assert.ok(Array.from({ length: 20 }, () => scanner.read().ok).some(Boolean));
  });
});
