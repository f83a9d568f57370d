import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exponential, mulberry32, pickWeighted, substream } from './random.js';

test('the same seed gives the same sequence and another seed a different one', () => {
  const a = mulberry32(42);
  const b = mulberry32(42);
  const c = mulberry32(43);
  const first = Array.from({ length: 5 }, () => a());
  assert.deepEqual(
    first,
    Array.from({ length: 5 }, () => b()),
  );
  assert.notDeepEqual(
    first,
    Array.from({ length: 5 }, () => c()),
  );
  for (const x of first) assert.ok(x >= 0 && x < 1);
});

test('a known seed keeps its first values, so a recorded run stays reproducible', () => {
  const r = mulberry32(1);
  assert.deepEqual(
    [r(), r(), r()].map((x) => x.toFixed(8)),
    ['0.62707394', '0.00273572', '0.52744704'],
  );
});

test('substreams differ by label and repeat by seed', () => {
  assert.equal(substream(7, 'cart-1')(), substream(7, 'cart-1')());
  assert.notEqual(substream(7, 'cart-1')(), substream(7, 'cart-2')());
});

test('weighted choice follows the weights', () => {
  const r = mulberry32(3);
  const counts = { a: 0, b: 0 };
  const items = [
    { name: 'a' as const, weight: 3 },
    { name: 'b' as const, weight: 1 },
  ];
  for (let i = 0; i < 4000; i++) counts[pickWeighted(r, items).name]++;
  assert.ok(Math.abs(counts.a / 4000 - 0.75) < 0.03, JSON.stringify(counts));
});

test('exponential waits have the requested mean', () => {
  const r = mulberry32(5);
  let sum = 0;
  for (let i = 0; i < 20000; i++) sum += exponential(r, 100);
  assert.ok(Math.abs(sum / 20000 - 100) < 3);
});
