import { createHash, type KeyObject } from 'node:crypto';
import type { DeviceClass } from '../ids.js';
import type { OtaManifest } from '../messages/ota.js';
import { validateDocument } from '../validate.js';
import { verifyBody } from '../wire.js';
import { compareVersions } from './semver.js';

/**
 * Why a device refuses a firmware image: a closed set, reported as the job-status reason.
 * docs/protocol.md lists the same codes.
 */
export const FIRMWARE_REJECT_REASONS = {
  malformed:
    'The manifest is not a valid OTA manifest, or its minimum version is above its version.',
  signature: 'The manifest signature does not verify with the firmware-signing public key.',
  'device-class': 'The image is for another device class.',
  hardware: "The image does not list this device's hardware revision.",
  'ca-generation': 'The image needs a fleet CA generation this device does not trust yet.',
  'not-yet-valid': 'Server time is before the manifest issued-at.',
  expired: 'Server time is past the manifest expires-at.',
  downgrade:
    'The version is not newer than the installed one, or is below the anti-rollback floor.',
  size: 'The downloaded image is not the size the manifest states.',
  hash: 'The SHA-256 of the downloaded image is not the one the manifest states.',
} as const;
export type FirmwareRejectReason = keyof typeof FIRMWARE_REJECT_REASONS;
export const FIRMWARE_REJECT_CODES = Object.keys(FIRMWARE_REJECT_REASONS) as FirmwareRejectReason[];

/** What the device knows when it judges an image: nothing here comes from the image itself. */
export interface FirmwareAcceptanceContext {
  /** The firmware-signing public key the device carries (never the fleet CA). */
  readonly signingKey: KeyObject;
  /**
   * Server time from the challenge made during this update, in ms: the device's own clock is not
   * trusted for the validity window (a cart 12 hours off must still update).
   */
  readonly serverNow: number;
  readonly installedVersion: string;
  /** The highest min_version the device has accepted (anti-rollback), if above installed. */
  readonly antiRollbackFloor?: string;
  readonly deviceClass: DeviceClass;
  readonly hardwareRev: string;
  readonly trustedCaGenerations: readonly number[];
}

export type FirmwareVerdict<T> =
  | { readonly ok: true; readonly manifest: OtaManifest; readonly value: T }
  | { readonly ok: false; readonly reason: FirmwareRejectReason; readonly detail: string };

const refuse = (reason: FirmwareRejectReason, detail: string) =>
  ({ ok: false, reason, detail }) as const;

/**
 * Everything that can be decided before downloading: the signature over the exact manifest
 * bytes, then what the signed metadata says about this device and about server time.
 */
export function checkManifest(
  signed: Uint8Array,
  signature: Uint8Array,
  context: FirmwareAcceptanceContext,
): FirmwareVerdict<undefined> {
  if (!verifyBody(signed, signature, context.signingKey)) {
    return refuse('signature', 'the manifest signature does not verify with the signing key');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(signed).toString('utf8'));
  } catch {
    return refuse('malformed', 'the manifest is not JSON');
  }
  const valid = validateDocument<OtaManifest>('ota-manifest', parsed);
  if (!valid.ok) return refuse('malformed', valid.detail);
  const m = valid.value;
  if (compareVersions(m.min_version, m.version) > 0) {
    return refuse('malformed', `min_version ${m.min_version} is above version ${m.version}`);
  }
  if (m.device_class !== context.deviceClass) {
    return refuse('device-class', `the image is for ${m.device_class}, not ${context.deviceClass}`);
  }
  if (!m.hardware_revisions.includes(context.hardwareRev)) {
    return refuse(
      'hardware',
      `hardware ${context.hardwareRev} is not among ${m.hardware_revisions.join(', ')}`,
    );
  }
  if (!context.trustedCaGenerations.includes(m.ca_generation)) {
    return refuse(
      'ca-generation',
      `needs CA generation ${m.ca_generation}; trusted: ${context.trustedCaGenerations.join(', ')}`,
    );
  }
  if (context.serverNow < Date.parse(m.issued_at)) {
    return refuse('not-yet-valid', `issued at ${m.issued_at}, server time is before it`);
  }
  if (context.serverNow >= Date.parse(m.expires_at)) {
    return refuse('expired', `expired at ${m.expires_at}`);
  }
  if (compareVersions(m.version, context.installedVersion) <= 0) {
    return refuse(
      'downgrade',
      `${m.version} is not newer than installed ${context.installedVersion}`,
    );
  }
  const floor = context.antiRollbackFloor;
  if (floor !== undefined && compareVersions(m.version, floor) < 0) {
    return refuse('downgrade', `${m.version} is below the anti-rollback floor ${floor}`);
  }
  return { ok: true, manifest: m, value: undefined };
}

/** After the download: the image is exactly the bytes the signed manifest describes. */
export function checkImage(manifest: OtaManifest, image: Uint8Array): FirmwareVerdict<undefined> {
  if (image.byteLength !== manifest.size) {
    return refuse(
      'size',
      `the image is ${image.byteLength} bytes, the manifest says ${manifest.size}`,
    );
  }
  const digest = createHash('sha256').update(image).digest('hex');
  if (digest !== manifest.sha256)
    return refuse('hash', `sha256 ${digest} is not ${manifest.sha256}`);
  return { ok: true, manifest, value: undefined };
}

/** The device's whole acceptance check, as `fleetplane ota verify` runs it. */
export function acceptFirmware(
  signed: Uint8Array,
  signature: Uint8Array,
  image: Uint8Array,
  context: FirmwareAcceptanceContext,
): FirmwareVerdict<undefined> {
  const manifest = checkManifest(signed, signature, context);
  return manifest.ok ? checkImage(manifest.manifest, image) : manifest;
}

/** The anti-rollback floor after accepting `manifest`: it only ever rises. */
export function raisedFloor(current: string | undefined, manifest: OtaManifest): string {
  if (current === undefined) return manifest.min_version;
  return compareVersions(manifest.min_version, current) > 0 ? manifest.min_version : current;
}
