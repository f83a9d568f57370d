#!/usr/bin/env node
// CI's dependency audit: `npm audit --omit=dev` at high severity, with .ci/audit-allow.json for
// findings that do not apply (each with its reason and a review date). A registry without the
// advisory endpoint (this project's sandbox answers 405) is said loudly and, unless
// FLEETPLANE_REQUIRE_AUDIT=1, does not fail the run: there is nothing to judge.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { allowListProblems, auditUnavailable, blocking } from './audit-findings.mjs';

const LEVEL = process.env['FLEETPLANE_AUDIT_LEVEL'] ?? 'high';
const ALLOW = '.ci/audit-allow.json';

const allowList = JSON.parse(readFileSync(ALLOW, 'utf8'));
const problems = allowListProblems(allowList);
if (problems.length > 0) {
  console.error(`${ALLOW}:\n  ${problems.join('\n  ')}`);
  process.exit(2);
}
const npm = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8' });
let report;
try {
  report = JSON.parse(npm.stdout);
} catch {
  console.error(`npm audit printed no JSON (exit ${npm.status}):\n${npm.stderr.slice(-2000)}`);
  process.exit(1);
}
const unavailable = auditUnavailable(report);
if (unavailable !== undefined) {
  console.log(`== dependency audit COULD NOT RUN: ${unavailable.split('\n')[0]}`);
  process.exit(process.env['FLEETPLANE_REQUIRE_AUDIT'] === '1' ? 1 : 0);
}
const { blocked, expired } = blocking(report, allowList, LEVEL, new Date());
for (const e of expired) {
  console.log(
    `   allow-list entry expired, no longer excusing: ${e.package} ${e.advisory} (${e.until})`,
  );
}
if (blocked.length > 0) {
  console.error(`== dependency audit: ${blocked.length} finding(s) at ${LEVEL} or above`);
  for (const f of blocked)
    console.error(`   ${f.severity} ${f.package} ${f.range}: ${f.title} ${f.advisory}`);
  console.error(`   upgrade, or excuse with a reason in ${ALLOW}`);
  process.exit(1);
}
console.log(`== dependency audit: nothing at ${LEVEL} or above (${allowList.length} excused)`);
