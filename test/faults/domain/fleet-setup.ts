// A data directory for a domain fault scenario: the fleet CA, one store, provisioned cold-chain
// sensors and a signed firmware image for them, made the operator's way (the CLI in-process).
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from '../../../src/cli/main.js';
import { otaCommands } from '../../../src/cli/ota/index.js';
import { callPlatform } from '../../../src/cli/platform/platform-client.js';
import { readSignedManifest } from '../../../src/domain/ota/signing/index.js';
import { COLDCHAIN_HARDWARE_REV } from '../../../src/device/coldchain/coldchain-sensor.js';
import { capture } from '../../../test-support/cli.js';
import { provisionDevice, runCli, STORE } from '../../../test-support/platform.js';

export interface FaultFleet {
  readonly data: string;
  readonly deviceIds: readonly string[];
  readonly deviceDirs: readonly string[];
}

/** `count` cold-chain sensors `PREFIX-000…` in store berlin-1. */
export async function faultFleet(
  workDir: string,
  prefix: string,
  count: number,
): Promise<FaultFleet> {
  const data = join(workDir, 'fleet');
  await mkdir(data, { recursive: true });
  await runCli('ca', 'init', '--data', data);
  await runCli(
    'store',
    'add',
    '--data',
    data,
    '--id',
    STORE,
    '--name',
    'Berlin 1',
    '--region',
    'eu',
  );
  const deviceIds = Array.from(
    { length: count },
    (_, i) => `${prefix}-${String(i).padStart(3, '0')}`,
  );
  const deviceDirs: string[] = [];
  for (const id of deviceIds) deviceDirs.push(await provisionDevice(data, id, 'coldchain'));
  return { data, deviceIds, deviceDirs };
}

/** Runs `fleetplane ota …` in-process; its output, or an error with it. */
export async function otaCli(...argv: string[]): Promise<string> {
  const io = capture();
  const code = await main(['ota', ...argv], io, otaCommands());
  if (code !== 0) throw new Error(`fleetplane ota ${argv.join(' ')} exited ${code}: ${io.text()}`);
  return io.text();
}

/** A signed image of `version` for the sensors; returns its image and manifest files. */
export async function sensorImage(
  data: string,
  version: string,
): Promise<{ readonly image: string; readonly manifest: string }> {
  const image = join(data, `cc-${version}.bin`);
  const manifest = join(data, `cc-${version}.manifest.json`);
  await writeFile(image, randomBytes(16 * 1024));
  await otaCli(
    ...['build', '--data', data, '--image', image, '--out', manifest, '--version', version],
    ...['--device-class', 'coldchain', '--hardware', COLDCHAIN_HARDWARE_REV],
  );
  return { image, manifest };
}

/** Starts a rollout of the image through the running platform; returns its id. */
export async function createRollout(
  data: string,
  files: { readonly image: string; readonly manifest: string },
): Promise<string> {
  const out = await otaCli(
    ...['rollout', 'create', '--data', data, '--manifest', files.manifest, '--image', files.image],
  );
  const id = /Rollout ([0-9a-f-]{36}) started/.exec(out)?.[1];
  if (!id) throw new Error(`no rollout id in: ${out}`);
  return id;
}

/** Stage durations and health window short enough for a rollout to advance within minutes. */
export interface FastRollout {
  readonly canarySize: number;
  /** Every stage's duration (the health window is 1 minute, so a stage lasts at least that). */
  readonly stageHours: number;
}

/** Uploads the image and starts a rollout with short stages through the running platform's API. */
export async function createFastRollout(
  data: string,
  files: { readonly image: string; readonly manifest: string },
  fast: FastRollout,
): Promise<string> {
  const subject = 'fault-scenario';
  const manifest = await readSignedManifest(files.manifest);
  const image = await readFile(files.image);
  const sha256 = createHash('sha256').update(image).digest('hex');
  await callPlatform(data, 'PUT', `/v1/ota/images/${sha256}`, { subject, bytes: image });
  const status = (await callPlatform(data, 'POST', '/v1/ota/rollouts', {
    subject,
    body: {
      manifest: { signed: manifest.signedBase64, signature: manifest.signatureBase64 },
      canary_size: fast.canarySize,
      canary_hours: fast.stageHours,
      early_hours: fast.stageHours,
      later_stage_hours: fast.stageHours,
      window_minutes: 1,
      min_device_hours: 0,
    },
  })) as { rolloutId: string };
  return status.rolloutId;
}
