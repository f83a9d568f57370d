import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readHistory } from './metrics-history.js';

describe('metric history for the charts', () => {
  it('turns samples into time-ordered columns in seconds', () => {
    const history = readHistory({
      window: '1h',
      points: [
        {
          at: '2026-11-23T10:01:00.000Z',
          messagesPerMinute: 120,
          connectedDevices: 5,
          publishToStoredP50Ms: 4,
          publishToStoredP99Ms: 20,
          rejects: { signature: 1 },
        },
        {
          at: '2026-11-23T10:00:00.000Z',
          messagesPerMinute: 100,
          connectedDevices: 4,
          rejects: { schema: 2 },
        },
      ],
    });
    const t0 = Date.parse('2026-11-23T10:00:00.000Z') / 1000;
    assert.deepEqual(history.times, [t0, t0 + 60]);
    assert.deepEqual(history.messagesPerMinute, [100, 120]);
    assert.deepEqual(history.connectedDevices, [4, 5]);
    assert.deepEqual(history.p50Ms, [null, 4]);
    assert.deepEqual(history.p99Ms, [null, 20]);
    assert.deepEqual(history.rejects, { schema: [2, 0], signature: [0, 1] });
  });

  it("reads the platform's answer as docs/live-stream.md gives it (stored and rejected per minute)", () => {
    const history = readHistory({
      window: '1h',
      source: 'embedded',
      intervalMs: 60000,
      points: [
        {
          at: '2026-11-23T09:01:00.000Z',
          storedPerMinute: 5400,
          rejectedPerMinute: 3,
          rejectsPerMinute: { signature: 2, replay: 1 },
          connectedDevices: 98,
          publishToStoredP50Ms: 14.2,
          publishToStoredP99Ms: 61.0,
          authFailuresPerMinute: 0,
        },
      ],
    });
    assert.deepEqual(history.messagesPerMinute, [5400]);
    assert.deepEqual(history.rejects, { replay: [1], signature: [2] });
    assert.deepEqual(history.connectedDevices, [98]);
    assert.deepEqual([history.p50Ms[0], history.p99Ms[0]], [14.2, 61.0]);
  });

  it('reads snake_case, epoch milliseconds and nested latency', () => {
    const history = readHistory({
      samples: [
        { ts: 1_795_000_000_000, messages_per_minute: 7, publishToStored: { p50: 3, p99: 9 } },
      ],
    });
    assert.deepEqual(history.times, [1_795_000_000]);
    assert.deepEqual(history.messagesPerMinute, [7]);
    assert.deepEqual([history.p50Ms[0], history.p99Ms[0]], [3, 9]);
  });

  it('is empty for an answer without samples', () => {
    assert.deepEqual(readHistory(null).times, []);
    assert.deepEqual(readHistory({ points: [{ messages: 1 }] }).times, []);
  });
});
