import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameKind, FrameReader, frame } from './frames.js';

describe('FrameReader', () => {
  it('gives back every frame whatever the chunking, byte by byte or several per chunk', () => {
    const frames = [
      frame(FrameKind.data, 7, Buffer.from('hello')),
      frame(FrameKind.close, 7),
      frame(FrameKind.data, 4_000_000_000, Buffer.alloc(70_000, 1)),
    ];
    const all = Buffer.concat(frames);
    for (const size of [1, 3, 9, 100, all.length]) {
      const seen: [number, number, number][] = [];
      const reader = new FrameReader((kind, id, body) => seen.push([kind, id, body.length]));
      for (let i = 0; i < all.length; i += size) reader.push(all.subarray(i, i + size));
      assert.deepEqual(seen, [
        [FrameKind.data, 7, 5],
        [FrameKind.close, 7, 0],
        [FrameKind.data, 4_000_000_000, 70_000],
      ]);
    }
  });
});
