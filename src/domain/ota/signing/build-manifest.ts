import { createHash } from 'node:crypto';
import {
  compareVersions,
  validateDocument,
  type DeviceClass,
  type OtaManifest,
} from '../../../contract/index.js';
import { OtaSigningFailure } from './ota-signing-failure.js';

export const DEFAULT_VALID_DAYS = 30;
const DAY_MS = 86_400_000;

export interface ManifestInput {
  readonly version: string;
  readonly deviceClass: DeviceClass;
  readonly hardwareRevisions: readonly string[];
  readonly image: Uint8Array;
  /** Anti-rollback floor; defaultMinVersion(version) when absent. */
  readonly minVersion?: string;
  readonly caGeneration: number;
  readonly validDays?: number;
  readonly now: number;
}

/**
 * The default anti-rollback floor: the first release of the version's major line (`2.3.1` →
 * `2.0.0`). A cart that accepted this image never goes back to an older major line, where
 * partition layouts and boot chains change; within the line a cart that rolled back can still be
 * given a fix. A security release raises the floor explicitly with --min-version. The version
 * itself as the floor would be stricter than needed: a cart must already move forward, and a
 * floor at the version would refuse the rolled-back carts every hotfix of the line below it.
 */
export function defaultMinVersion(version: string): string {
  const major = version.split('.')[0] ?? '0';
  const floor = `${major}.0.0`;
  // A pre-release of x.0.0 sorts below x.0.0: then the version itself is the floor.
  return compareVersions(floor, version) > 0 ? version : floor;
}

/** The manifest `ota build` signs, checked against the contract's schema before signing. */
export function buildManifest(input: ManifestInput): OtaManifest {
  const validDays = input.validDays ?? DEFAULT_VALID_DAYS;
  const manifest: OtaManifest = {
    version: input.version,
    device_class: input.deviceClass,
    hardware_revisions: [...new Set(input.hardwareRevisions)],
    size: input.image.byteLength,
    sha256: createHash('sha256').update(input.image).digest('hex'),
    issued_at: new Date(input.now).toISOString(),
    expires_at: new Date(input.now + validDays * DAY_MS).toISOString(),
    min_version: input.minVersion ?? defaultMinVersion(input.version),
    ca_generation: input.caGeneration,
  };
  const valid = validateDocument<OtaManifest>('ota-manifest', manifest);
  if (!valid.ok) throw new OtaSigningFailure('invalid-manifest', valid.detail);
  if (compareVersions(manifest.min_version, manifest.version) > 0) {
    throw new OtaSigningFailure(
      'invalid-manifest',
      `min_version ${manifest.min_version} is above version ${manifest.version}`,
    );
  }
  return manifest;
}
