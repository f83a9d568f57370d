import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FleetplaneStack } from '../lib/fleetplane-stack.js';

/** The feature flags cdk.json sets, so a test's App synthesizes what `cdk synth` does. */
export const APP_CONTEXT = {
  '@aws-cdk/aws-iam:minimizePolicies': true,
  '@aws-cdk/core:checkSecretUsage': true,
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
};

/**
 * The stack's template without bundling the function (a stub in its place): the tests that read
 * resources do not need the real bundle, and esbuild over the platform costs seconds. The stub
 * and the synth output live in one scratch directory, gone once the template is read.
 */
export function stackTemplate(): { stack: FleetplaneStack; template: Template } {
  const scratch = mkdtempSync(join(tmpdir(), 'fleetplane-synth-'));
  try {
    const bundleDir = join(scratch, 'ingest-stub');
    mkdirSync(bundleDir);
    writeFileSync(join(bundleDir, 'index.mjs'), 'export const handler = () => undefined;\n');
    const app = new App({ context: APP_CONTEXT, outdir: join(scratch, 'cdk.out') });
    const stack = new FleetplaneStack(app, 'Fleetplane', { ingestBundleDir: bundleDir });
    return { stack, template: Template.fromStack(stack) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
