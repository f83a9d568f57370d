import { SCHEMA_VERSION, type OtaJob } from '../../../contract/index.js';
import { cohortOrder } from './cohorts.js';
import type { OtaTarget, RolloutJobRecord, RolloutRecord } from './ports.js';
import { rolloutFailure } from './rollout-errors.js';
import { checkCaDependency, checkSpec, splitTargets, type RolloutSpec } from './rollout-spec.js';

/**
 * A new rollout from its spec and the devices its targets matched: checks (unknown named devices,
 * the CA dependency, nothing to update), the cohort order (named canaries first, then spread over
 * hardware and stores) and one job per device. Pure; refuses with a RolloutFailure.
 */
export function planRollout(
  spec: RolloutSpec,
  found: readonly OtaTarget[],
  now: number,
  newId: () => string,
): { rollout: RolloutRecord; jobs: RolloutJobRecord[] } {
  const checked = checkSpec(spec);
  const filter = { deviceClass: spec.deviceClass, ...spec.targets };
  const known = new Set(found.map((t) => t.deviceId));
  const unknown = [...(spec.targets?.deviceIds ?? []), ...(spec.canaryDeviceIds ?? [])].filter(
    (id) => !known.has(id),
  );
  if (unknown.length > 0) {
    throw rolloutFailure(
      'unknown-targets',
      `${unknown.length} named devices are not ${spec.deviceClass} devices of the targets ` +
        `(e.g. ${unknown.slice(0, 5).join(', ')})`,
    );
  }
  const split = splitTargets(found, spec.parsedManifest);
  checkCaDependency(split.candidates, spec.parsedManifest.ca_generation);
  const eligible = [...split.candidates, ...split.current];
  if (eligible.length === 0) {
    throw rolloutFailure(
      'no-targets',
      `no ${spec.deviceClass} device matches the targets and takes this image ` +
        `(${found.length} matched; ${split.excluded.hardware} other hardware, ` +
        `${split.excluded.newer} already newer)`,
    );
  }
  const rolloutId = newId();
  const canary = new Set(spec.canaryDeviceIds ?? []);
  const order = [
    ...eligible.filter((t) => canary.has(t.deviceId)),
    ...cohortOrder(
      rolloutId,
      eligible.filter((t) => !canary.has(t.deviceId)),
    ),
  ];
  const current = new Set(split.current.map((t) => t.deviceId));
  const jobs: RolloutJobRecord[] = order.map((t, ordinal) => ({
    jobId: newId(),
    rolloutId,
    deviceId: t.deviceId,
    storeId: t.storeId,
    ordinal,
    state: current.has(t.deviceId) ? 'already-current' : 'pending',
    detail: null,
    attempts: 0,
    firstSentAt: null,
    lastSentAt: null,
    lastStatusAt: null,
    finishedAt: null,
  }));
  const rollout: RolloutRecord = {
    rolloutId,
    deviceClass: spec.deviceClass,
    targetVersion: spec.targetVersion,
    imageId: spec.imageId,
    manifest: { signed: spec.manifest.signed, signature: spec.manifest.signature },
    caGeneration: spec.parsedManifest.ca_generation,
    targets: filter,
    stages: checked.stages,
    canaryDeviceIds: order.filter((t) => canary.has(t.deviceId)).map((t) => t.deviceId),
    haltThreshold: checked.haltThreshold,
    windowMs: checked.windowMs,
    minEvents: checked.minEvents,
    significance: checked.significance,
    minDeviceHours: checked.minDeviceHours,
    sendIn: checked.sendIn,
    jobTimeoutMs: checked.jobTimeoutMs,
    maxAttempts: checked.maxAttempts,
    excluded: split.excluded,
    state: 'running',
    stageIndex: 0,
    stageStartedAt: now,
    healthFrom: now,
    baseline: { events: 0, deviceHours: 0 },
    lastHealth: null,
    haltReason: null,
    haltedHealth: null,
    optOuts: [],
    history: [{ action: 'create', at: now, by: checked.createdBy, stageIndex: 0 }],
    createdAt: now,
    createdBy: checked.createdBy,
    updatedAt: now,
  };
  return { rollout, jobs };
}

/** The job document a device gets: the signed manifest as is, and a fresh download URL. */
export function jobDocument(
  rollout: RolloutRecord,
  job: RolloutJobRecord,
  url: { readonly url: string; readonly expiresAt: number },
  now: number,
): OtaJob {
  return {
    schema_version: SCHEMA_VERSION,
    device_id: job.deviceId,
    type: 'ota-job',
    ts: new Date(now).toISOString(),
    job_id: job.jobId,
    rollout_id: rollout.rolloutId,
    manifest: { signed: rollout.manifest.signed, signature: rollout.manifest.signature },
    url: url.url,
    url_expires_at: new Date(url.expiresAt).toISOString(),
  };
}

/** The rollout with one more entry in its history. */
export function withAction(
  rollout: RolloutRecord,
  action: RolloutRecord['history'][number]['action'],
  at: number,
  by: string,
  detail?: string,
): RolloutRecord {
  const entry = { action, at, by, stageIndex: rollout.stageIndex, ...(detail ? { detail } : {}) };
  return { ...rollout, history: [...rollout.history, entry] };
}
