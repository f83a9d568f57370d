import type { KeyObject } from 'node:crypto';
import { validateDocument, verifyBody, type OtaManifest } from '../../../contract/index.js';
import { ApiError, badRequest } from '../../../surfaces/api/api-errors.js';
import type { RolloutSpec } from '../rollout/rollout-spec.js';
import { HOUR_MS, defaultStages } from '../rollout/stages.js';

/** POST /v1/ota/rollouts, as sent (snake_case like the contract's documents). */
export interface RolloutRequest {
  manifest: { signed: string; signature: string };
  targets?: { store_ids?: string[]; hardware_revs?: string[]; device_ids?: string[] };
  canary_device_ids?: string[];
  canary_size?: number;
  canary_hours?: number;
  early_hours?: number;
  later_stage_hours?: number;
  halt_threshold?: number;
  window_minutes?: number;
  min_device_hours?: number;
  send_in?: 'maintenance-windows' | 'store-closed-hours';
}

const list = { type: 'array', items: { type: 'string', maxLength: 64 }, maxItems: 100_000 };
const hours = { type: 'number', exclusiveMinimum: 0, maximum: 24 * 365 };

export const rolloutRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['manifest'],
  properties: {
    manifest: {
      type: 'object',
      additionalProperties: false,
      required: ['signed', 'signature'],
      properties: {
        signed: { type: 'string', maxLength: 8192 },
        signature: { type: 'string', maxLength: 128 },
      },
    },
    targets: {
      type: 'object',
      additionalProperties: false,
      properties: { store_ids: list, hardware_revs: list, device_ids: list },
    },
    canary_device_ids: list,
    canary_size: { type: 'integer', minimum: 1, maximum: 10_000 },
    canary_hours: hours,
    early_hours: hours,
    later_stage_hours: hours,
    halt_threshold: { type: 'number', exclusiveMinimum: 1, maximum: 100 },
    window_minutes: { type: 'number', minimum: 1, maximum: 24 * 60 },
    min_device_hours: { type: 'number', minimum: 0, maximum: 1_000_000 },
    send_in: { type: 'string', enum: ['maintenance-windows', 'store-closed-hours'] },
  },
} as const;

/**
 * Turns a request into the engine's spec. The manifest is checked here as a cart would check its
 * signature, with the platform's firmware-signing public key: a rollout every cart would refuse
 * is a 422 now, not a fleet of `rejected:signature` job reports later.
 */
export function rolloutSpec(
  body: RolloutRequest,
  signingKey: KeyObject | undefined,
  createdBy: string,
): RolloutSpec {
  if (!signingKey) {
    throw new ApiError(
      422,
      'manifest-refused',
      "this platform has no firmware-signing key yet: 'fleetplane ota build' creates it",
    );
  }
  const signed = Buffer.from(body.manifest.signed, 'base64');
  const signature = Buffer.from(body.manifest.signature, 'base64');
  if (!verifyBody(signed, signature, signingKey)) {
    throw new ApiError(
      422,
      'manifest-refused',
      "the manifest's signature does not verify with this platform's firmware-signing key",
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(signed.toString('utf8'));
  } catch {
    throw badRequest('the signed manifest is not JSON');
  }
  const manifest = validateDocument<OtaManifest>('ota-manifest', parsed);
  if (!manifest.ok) throw badRequest(`the signed manifest: ${manifest.detail}`);
  const m = manifest.value;
  const stages = defaultStages(
    body.later_stage_hours === undefined ? undefined : body.later_stage_hours * HOUR_MS,
  ).map((stage, k) => {
    if (k === 0) {
      return {
        ...stage,
        ...(body.canary_size !== undefined ? { cohort: { devices: body.canary_size } } : {}),
        ...(body.canary_hours !== undefined ? { durationMs: body.canary_hours * HOUR_MS } : {}),
      };
    }
    if (k === 1 && body.early_hours !== undefined) {
      return { ...stage, durationMs: body.early_hours * HOUR_MS };
    }
    return stage;
  });
  const t = body.targets ?? {};
  return {
    targetVersion: m.version,
    deviceClass: m.device_class,
    manifest: body.manifest,
    parsedManifest: m,
    imageId: m.sha256,
    targets: {
      ...(t.store_ids ? { storeIds: t.store_ids } : {}),
      ...(t.hardware_revs ? { hardwareRevs: t.hardware_revs } : {}),
      ...(t.device_ids ? { deviceIds: t.device_ids } : {}),
    },
    stages,
    ...(body.canary_device_ids ? { canaryDeviceIds: body.canary_device_ids } : {}),
    ...(body.halt_threshold !== undefined ? { haltThreshold: body.halt_threshold } : {}),
    ...(body.window_minutes !== undefined ? { windowMs: body.window_minutes * 60_000 } : {}),
    ...(body.min_device_hours !== undefined ? { minDeviceHours: body.min_device_hours } : {}),
    ...(body.send_in !== undefined ? { sendIn: body.send_in } : {}),
    createdBy,
  };
}
