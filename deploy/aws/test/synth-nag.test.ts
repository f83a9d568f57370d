import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import nag from 'cdk-nag';
import { FleetplaneStack } from '../lib/fleetplane-stack.js';
import { APP_CONTEXT } from './synth-fixture.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Report {
  pluginReports: { summary: { status: string }; violations: { ruleName: string }[] }[];
}

/** Synthesizes as `cdk synth` does (cdk-nag as a validation plugin); what the plugin reported. */
function synthWithNag(build: (app: App) => void): { report: Report; failed: boolean } {
  const outdir = mkdtempSync(join(tmpdir(), 'fleetplane-cdk-out-'));
  dirs.push(outdir);
  const app = new App({ context: APP_CONTEXT, outdir });
  build(app);
  Validations.of(app).addPlugins(new nag.AwsSolutionsChecks(app));
  const exitCode = process.exitCode;
  const error = console.error;
  console.error = () => undefined; // the plugin prints its report; the test reads the file
  let failed = false;
  try {
    app.synth();
  } catch (e) {
    if (!/Validation failed/.test(String(e))) throw e;
    failed = true;
  } finally {
    console.error = error;
    // Validation also marks the process failed; this test reports through its assertions.
    failed ||= process.exitCode === 1;
    process.exitCode = exitCode;
  }
  const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as Report;
  return { report, failed };
}

const violations = (report: Report) =>
  report.pluginReports.flatMap((p) => p.violations.map((v) => v.ruleName));

describe('cdk synth with cdk-nag', () => {
  it('synthesizes the stack, ingest bundle included, with no finding left unacknowledged', () => {
    const started = performance.now();
    const { report, failed } = synthWithNag((app) => new FleetplaneStack(app, 'Fleetplane'));
    console.log(`synth with bundle and cdk-nag: ${Math.round(performance.now() - started)} ms`);
    assert.deepEqual(violations(report), []);
    assert.equal(failed, false);
  });

  it('fails on a finding nobody acknowledged (the check is live)', () => {
    const { report, failed } = synthWithNag((app) => {
      new Bucket(new Stack(app, 'Careless'), 'Plain');
    });
    assert.ok(
      violations(report).some((rule) => rule.startsWith('AwsSolutions-S')),
      JSON.stringify(violations(report)),
    );
    assert.equal(failed, true);
  });
});
