import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PeakSchedule, SESSION_SEQUENCE, peakMix, peakRate } from './peak-traffic.js';

describe('the PRD peak traffic', () => {
  it('is 513 messages a second for 10,000 carts, two thirds of them scans', () => {
    assert.equal(SESSION_SEQUENCE.length, 77);
    assert.equal(Math.round(peakRate(10_000)), 513);
    const mix = peakMix();
    assert.ok(Math.abs(mix.scan - 50 / 77) < 1e-12);
    assert.ok(Math.abs(mix.health - 25 / 77) < 1e-12);
    assert.ok(Math.abs(mix['session-start'] - 1 / 77) < 1e-12);
  });

  it('keeps the fleet mix in every stretch of the schedule, not waves of one type', () => {
    const schedule = new PeakSchedule(10_000, 10_000);
    const seen: Record<string, number> = {};
    // About 10 s of traffic: 5,133 messages.
    for (let n = 0; n < 5_133; n++) {
      const { type } = schedule.next(n);
      seen[type] = (seen[type] ?? 0) + 1;
    }
    assert.ok(Math.abs(seen['scan']! / 5_133 - 50 / 77) < 0.02, JSON.stringify(seen));
    assert.ok(seen['session-start']! > 0 && seen['session-end']! > 0);
    assert.ok(Math.abs(schedule.dueAt(5_133) - 10) < 0.01);
  });

  it('sends each connection its own session sequence, in order', () => {
    const schedule = new PeakSchedule(1_000, 10);
    const ofConnection3: string[] = [];
    for (let n = 0; n < 10 * 80; n++) {
      const next = schedule.next(n);
      if (next.connection === 3) ofConnection3.push(next.type);
    }
    assert.deepEqual(ofConnection3.slice(0, 74), SESSION_SEQUENCE.slice(3));
    assert.equal(ofConnection3[74], 'session-start');
  });

  it('refuses a fleet without carts or more connections than carts', () => {
    assert.throws(() => peakRate(0), /positive integer/);
    assert.throws(() => new PeakSchedule(10, 11), /more connections than carts/);
  });
});
