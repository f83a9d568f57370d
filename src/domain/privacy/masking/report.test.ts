import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RUBRIC_V1 } from '../../../../test-support/masking.js';
import { keptColumnsReport } from './report.js';
import { parseRubric } from './rubric/index.js';

describe('kept-columns report', () => {
  it('lists each kept column with the reason the rubric gives, then the rest by bucket', () => {
    const report = keptColumnsReport(parseRubric(RUBRIC_V1));
    assert.match(report, /^# Kept columns: test-telemetry rubric, version 1/);
    assert.match(report, /\| `battery_pct` \| pack replacement planning \|/);
    assert.match(report, /\| `site_code` \| site-level utilisation reports \|/);
    assert.match(report, /\| `gps_lat` \| sensitive \| grid \(step 0\.01\) \|/);
    assert.match(
      report,
      /Columns per bucket: direct-identifier 2, quasi-identifier 1, sensitive 3, behavioral 2, free-text 1\./,
    );
  });
});
