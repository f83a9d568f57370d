import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RETENTION_POLICY, monthsBefore, retentionCutoffs } from './retention-policy.js';

const iso = (d: Date) => d.toISOString();

describe('retention policy', () => {
  it('keeps the PRD numbers: 18 months hot, aggregates to 5 years, account data and audit 7 years', () => {
    assert.deepEqual(Object.fromEntries(RETENTION_POLICY.map((t) => [t.rule, t.keepMonths])), {
      'telemetry-raw': 18,
      'telemetry-aggregates': 60,
      'account-data': 84,
      audit: 84,
    });
  });

  it('counts calendar months back, keeping the time of day', () => {
    assert.equal(
      iso(monthsBefore(new Date('2028-06-15T13:45:10.500Z'), 18)),
      '2026-12-15T13:45:10.500Z',
    );
    assert.equal(
      iso(monthsBefore(new Date('2026-01-10T00:00:00Z'), 1)),
      '2025-12-10T00:00:00.000Z',
    );
    assert.equal(
      iso(monthsBefore(new Date('2026-01-10T00:00:00Z'), 0)),
      '2026-01-10T00:00:00.000Z',
    );
  });

  it('clamps a day the earlier month lacks to that month’s last day', () => {
    assert.equal(
      iso(monthsBefore(new Date('2028-08-31T10:00:00Z'), 18)),
      '2027-02-28T10:00:00.000Z',
    );
    assert.equal(
      iso(monthsBefore(new Date('2028-10-31T10:00:00Z'), 8)),
      '2028-02-29T10:00:00.000Z',
    );
    assert.equal(
      iso(monthsBefore(new Date('2026-03-31T10:00:00Z'), 1)),
      '2026-02-28T10:00:00.000Z',
    );
  });

  it('takes a leap day back to 28 February in a common year and to 29 February in a leap one', () => {
    assert.equal(
      iso(monthsBefore(new Date('2032-02-29T08:00:00Z'), 84)),
      '2025-02-28T08:00:00.000Z',
    );
    assert.equal(
      iso(monthsBefore(new Date('2032-02-29T08:00:00Z'), 48)),
      '2028-02-29T08:00:00.000Z',
    );
  });

  it('aligns the telemetry cutoffs to UTC midnight and leaves the others exact', () => {
    const c = retentionCutoffs(new Date('2028-08-31T22:30:00Z'));
    assert.equal(iso(c.telemetryRaw), '2027-02-28T00:00:00.000Z');
    assert.equal(iso(c.telemetryAggregates), '2023-08-31T00:00:00.000Z');
    assert.equal(iso(c.accountData), '2021-08-31T22:30:00.000Z');
    assert.equal(iso(c.audit), '2021-08-31T22:30:00.000Z');
  });

  it('refuses a negative or fractional number of months', () => {
    assert.throws(() => monthsBefore(new Date(), -1), RangeError);
    assert.throws(() => monthsBefore(new Date(), 1.5), RangeError);
  });
});
