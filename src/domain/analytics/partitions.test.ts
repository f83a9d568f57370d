import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  groupByPartition,
  isDay,
  partFileName,
  partFirstSeq,
  partitionDir,
  plainRow,
  utcDay,
} from './partitions.js';
import { feedEvent } from '../../../test-support/feed-events.js';

describe('Parquet partitions', () => {
  it('puts an event in the UTC day of its device time, not the arrival day', () => {
    const row = plainRow(
      feedEvent({
        seq: 1,
        deviceTime: Date.parse('2026-03-01T23:59:59.999Z'),
        receivedAt: Date.parse('2026-03-02T00:00:05Z'),
      }),
    );
    assert.equal(row.day, '2026-03-01');
    assert.equal(utcDay(Date.parse('2026-03-02T00:00:00Z')), '2026-03-02');
  });

  it('names Hive-style directories per store and day, and refuses a store id that is no path segment', () => {
    assert.equal(partitionDir('berlin-1', '2026-03-01'), 'store=berlin-1/day=2026-03-01');
    assert.throws(() => partitionDir('../etc', '2026-03-01'), /cannot name a partition/);
    assert.throws(() => partitionDir('a/b', '2026-03-01'), /cannot name a partition/);
  });

  it('names part files by the seq range of their chunk, so a stale one is recognisable', () => {
    const name = partFileName(1001, 2000);
    assert.equal(name, 'part-000000001001-000000002000.parquet');
    assert.equal(partFirstSeq(name), 1001);
    assert.equal(partFirstSeq('notes.parquet'), undefined);
  });

  it('accepts only real calendar days', () => {
    assert.ok(isDay('2026-02-28'));
    assert.ok(!isDay('2026-02-30'));
    assert.ok(!isDay('2026-2-3'));
    assert.ok(!isDay('yesterday'));
  });

  it('groups rows by store and day', () => {
    const day1 = Date.parse('2026-03-01T10:00:00Z');
    const day2 = Date.parse('2026-03-02T10:00:00Z');
    const groups = groupByPartition(
      [
        feedEvent({ seq: 1, storeId: 'a', deviceTime: day1 }),
        feedEvent({ seq: 2, storeId: 'b', deviceTime: day1 }),
        feedEvent({ seq: 3, storeId: 'a', deviceTime: day2 }),
        feedEvent({ seq: 4, storeId: 'a', deviceTime: day1 }),
      ].map(plainRow),
    );
    assert.deepEqual(
      [...groups].map(([dir, rows]) => [dir, rows.map((r) => r.seq)]),
      [
        ['store=a/day=2026-03-01', [1, 4]],
        ['store=b/day=2026-03-01', [2]],
        ['store=a/day=2026-03-02', [3]],
      ],
    );
  });
});
