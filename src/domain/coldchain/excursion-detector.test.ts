import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StoredReading } from '../../stores/entities/coldchain/coldchain-records.js';
import { detectExcursions } from './excursion-detector.js';
import { BUILTIN_PROFILES } from './product-profiles.js';

const chilled = BUILTIN_PROFILES.find((p) => p.profileId === 'chilled')!;
const frozen = BUILTIN_PROFILES.find((p) => p.profileId === 'frozen')!;
const MIN = 60_000;

/** Readings five minutes apart with these temperatures (humidity 60 %, no shock). */
function trip(temps: readonly number[], shocks: readonly number[] = []): StoredReading[] {
  return temps.map((t, i) => ({
    counter: i + 1,
    readAt: i * 5 * MIN,
    temperatureC: t,
    humidityPct: 60,
    shockG: shocks[i] ?? 0.02,
  }));
}

const summary = (readings: StoredReading[], profile = chilled) =>
  detectExcursions(readings, profile).map((e) => ({
    kind: e.kind,
    from: e.startedAt / MIN,
    to: e.endedAt === null ? null : e.endedAt / MIN,
    peak: e.peak,
    limit: e.limit,
    readings: e.readings,
  }));

describe('excursion detection', () => {
  it('needs two consecutive readings out of range to open an excursion', () => {
    assert.deepEqual(summary(trip([4, 8.6, 4, 4, 4.1, 8.9, 4])), []);
  });

  it('opens at the first of two out-of-range readings and closes at the first of two in range', () => {
    assert.deepEqual(summary(trip([4, 8.9, 9.4, 9.1, 6.2, 5.1])), [
      { kind: 'temperature', from: 5, to: 20, peak: 9.4, limit: 8, readings: 3 },
    ]);
  });

  it('keeps an excursion open across a single reading back in range', () => {
    assert.deepEqual(summary(trip([9, 9, 7, 9.5, 7, 7])), [
      { kind: 'temperature', from: 0, to: 20, peak: 9.5, limit: 8, readings: 3 },
    ]);
  });

  it('leaves an excursion open (no end) while the last readings are out of range', () => {
    assert.deepEqual(summary(trip([4, 1.5, 0.5, 7, 1])), [
      { kind: 'temperature', from: 5, to: null, peak: 0.5, limit: 2, readings: 3 },
    ]);
  });

  it('takes the peak furthest outside whichever bound was crossed', () => {
    assert.deepEqual(summary(trip([9, 1.0, 12, 0, 4, 4])), [
      { kind: 'temperature', from: 0, to: 20, peak: 12, limit: 8, readings: 4 },
    ]);
  });

  it('derives the same excursions whatever order the readings arrive in (out-of-order delivery)', () => {
    const readings = trip([4, 8.9, 9.4, 9.1, 6.2, 5.1, 9, 9, 4, 4]);
    const shuffled = [readings[6]!, ...readings.slice(0, 3).reverse(), ...readings.slice(3)]
      .filter((r, i, all) => all.indexOf(r) === i)
      .reverse();
    assert.equal(shuffled.length, readings.length);
    assert.deepEqual(detectExcursions(shuffled, chilled), detectExcursions(readings, chilled));
    assert.equal(detectExcursions(readings, chilled).length, 2);
  });

  it('moves an excursion when a late reading fills a gap in the run', () => {
    const readings = trip([4, 9, 4, 9, 4, 4]);
    assert.deepEqual(summary(readings), []);
    const late = {
      ...readings[2]!,
      counter: 99,
      readAt: readings[1]!.readAt + MIN,
      temperatureC: 9.2,
    };
    assert.deepEqual(summary([...readings, late]), [
      { kind: 'temperature', from: 5, to: 20, peak: 9.2, limit: 8, readings: 3 },
    ]);
  });

  it('uses the profile: frozen goods have no lower bound and break above −18 °C', () => {
    assert.deepEqual(summary(trip([-25, -40, -17, -16.5, -19, -20]), frozen), [
      { kind: 'temperature', from: 10, to: 20, peak: -16.5, limit: -18, readings: 2 },
    ]);
  });

  it('records each shock over the profile limit as an excursion of one reading', () => {
    const readings = trip([4, 4, 4, 4], [0.1, 2.6, 0.1, 0.2]);
    assert.deepEqual(summary(readings), [
      { kind: 'shock', from: 5, to: 10, peak: 2.6, limit: 2, readings: 1 },
    ]);
  });
});
