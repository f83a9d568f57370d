import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
// @ts-expect-error -- a plain .mjs script without types; its functions take and return JSON.
import { allowListProblems, auditUnavailable, blocking, findings } from './audit-findings.mjs';

const TODAY = new Date('2026-12-06T00:00:00Z');
const ADVISORY = 'https://github.com/advisories/GHSA-aaaa-bbbb-cccc';

// The shape npm 7+ prints with --json (auditReportVersion 2): a package's `via` holds advisory
// objects, or the names of the packages it is vulnerable through.
function report(severity: string) {
  return {
    auditReportVersion: 2,
    vulnerabilities: {
      'left-pad': {
        name: 'left-pad',
        severity,
        isDirect: false,
        via: [
          {
            source: 1,
            name: 'left-pad',
            dependency: 'left-pad',
            title: 'Prototype pollution',
            url: ADVISORY,
            severity,
            range: '<1.3.1',
          },
        ],
        effects: ['fastify'],
        range: '<1.3.1',
      },
      fastify: {
        name: 'fastify',
        severity,
        isDirect: true,
        via: ['left-pad'],
        effects: [],
        range: '*',
      },
    },
    metadata: { vulnerabilities: { total: 2 } },
  };
}

describe('dependency audit findings', () => {
  it('blocks a high advisory once, under the package it is in, not the ones it reaches through', () => {
    const { blocked } = blocking(report('high'), [], 'high', TODAY);
    assert.deepEqual(
      blocked.map((f: { package: string; advisory: string }) => [f.package, f.advisory]),
      [['left-pad', ADVISORY]],
    );
  });

  it('lets a moderate advisory through at the high level and blocks it at moderate', () => {
    assert.equal(blocking(report('moderate'), [], 'high', TODAY).blocked.length, 0);
    assert.equal(blocking(report('moderate'), [], 'moderate', TODAY).blocked.length, 1);
    assert.equal(blocking(report('critical'), [], 'high', TODAY).blocked.length, 1);
  });

  it('excuses an advisory with a current allow-list entry, and not once it has expired', () => {
    const entry = {
      advisory: ADVISORY,
      package: 'left-pad',
      reason: 'only in the CLI',
      until: '2027-01-31',
    };
    assert.equal(blocking(report('high'), [entry], 'high', TODAY).blocked.length, 0);
    const stale = { ...entry, until: '2026-11-30' };
    const result = blocking(report('high'), [stale], 'high', TODAY);
    assert.equal(result.blocked.length, 1);
    assert.deepEqual(result.expired, [stale]);
    const otherPackage = { ...entry, package: 'fastify' };
    assert.equal(blocking(report('high'), [otherPackage], 'high', TODAY).blocked.length, 1);
  });

  it('names what is wrong with an allow-list entry', () => {
    assert.deepEqual(
      allowListProblems([{ advisory: ADVISORY, package: 'x', reason: '', until: 'soon' }]),
      ['entry 1: "reason" must be a non-empty string', 'entry 1: "until" is not a date: soon'],
    );
    assert.deepEqual(allowListProblems({}), ['the allow-list must be a JSON array']);
    assert.deepEqual(allowListProblems([]), []);
  });

  it('refuses what is not an audit report, and tells a registry without the endpoint apart', () => {
    assert.throws(() => findings({ nope: 1 }), /not an npm audit report/);
    // What npm 11 prints when the registry answers the bulk advisory endpoint with 405.
    const refused = {
      message:
        '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
      statusCode: 405,
      body: '',
      error: { summary: '', detail: '' },
    };
    assert.match(auditUnavailable(refused), /^405 Method Not Allowed/);
    assert.equal(auditUnavailable(report('high')), undefined);
  });
});
