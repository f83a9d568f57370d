import type { DataLayout } from '../../../stores/data-dir/index.js';
import { addDays } from '../clock.js';
import { identityFailure } from '../errors.js';
import { refreshCaFiles } from './ca-files.js';
import { findFleetCa, type FleetCa } from './fleet-ca.js';
import { createGeneration, type CaGeneration } from './generation.js';
import { DEFAULT_OVERLAP_DAYS, ROTATE_WARNING_DAYS } from './profile.js';

export interface InitResult {
  /** False when a CA already existed: `ca init` is idempotent and reports it. */
  readonly created: boolean;
  readonly ca: FleetCa;
}

/** Creates generation 1 unless a CA exists. */
export async function initCa(layout: DataLayout, now: Date): Promise<InitResult> {
  const existing = await findFleetCa(layout);
  if (existing) return { created: false, ca: existing };
  const created = await createGeneration(layout, 1, { now });
  const ca = await findFleetCa(layout);
  if (!ca) throw identityFailure('concurrent-change', `the CA in ${layout.caDir} vanished`);
  if (created) await refreshCaFiles(layout, ca, now);
  return { created, ca };
}

export interface RotateOptions {
  readonly now: Date;
  readonly overlapDays?: number;
  /** Rotate even while an earlier rotation's overlap window is still open. */
  readonly force?: boolean;
}

export type RotateResult =
  | {
      readonly rotated: true;
      readonly ca: FleetCa;
      readonly generation: CaGeneration;
      readonly previousTrustedUntil: Date;
    }
  | {
      readonly rotated: false;
      readonly ca: FleetCa;
      /** The generations whose overlap is still open, which is why nothing was done. */
      readonly open: readonly CaGeneration[];
    };

/**
 * Creates the next generation, which issues from now on. The generations before stay trusted
 * for `overlapDays` so devices can be renewed onto the new one, then drop out of the trust
 * bundle. A second rotation inside an open window would cut those devices' time short, so it
 * is refused unless forced.
 */
export async function rotateCa(layout: DataLayout, options: RotateOptions): Promise<RotateResult> {
  const { now, overlapDays = DEFAULT_OVERLAP_DAYS, force = false } = options;
  if (!Number.isFinite(overlapDays) || overlapDays < 0) {
    throw new RangeError('overlapDays must be a non-negative number');
  }
  const ca = await findFleetCa(layout);
  if (!ca) {
    throw identityFailure(
      'ca-not-initialised',
      `no fleet CA in ${layout.caDir}; run 'fleetplane ca init --data ${layout.root}' first`,
    );
  }
  const open = ca.inOverlap(now);
  if (open.length > 0 && !force) return { rotated: false, ca, open };

  const next = ca.newest.generation + 1;
  const previousTrustedUntil = addDays(now, overlapDays);
  if (!(await createGeneration(layout, next, { now, previousTrustedUntil }))) {
    throw identityFailure(
      'concurrent-change',
      `another process created CA generation ${next} at the same time; run 'fleetplane ca status'`,
    );
  }
  const rotated = await findFleetCa(layout);
  const generation = rotated?.generation(next);
  if (!rotated || !generation) {
    throw identityFailure('concurrent-change', `CA generation ${next} vanished`);
  }
  await refreshCaFiles(layout, rotated, now);
  return { rotated: true, ca: rotated, generation, previousTrustedUntil };
}

export interface GenerationStatus {
  readonly generation: number;
  readonly createdAt: Date;
  readonly issues: boolean;
  readonly trusted: boolean;
  readonly trustedUntil: Date;
  readonly rootFingerprint: string;
  readonly issuingFingerprint: string;
  readonly issuingNotAfter: Date;
  /** The issuing CA ends within a year: certificates it issues now are short, rotate soon. */
  readonly rotateSoon: boolean;
}

export function caStatus(ca: FleetCa, now: Date): GenerationStatus[] {
  return ca.generations.map((g) => {
    const issues = g === ca.newest;
    const issuingNotAfter = g.issuing.cert.notAfter;
    return {
      generation: g.generation,
      createdAt: g.createdAt,
      issues,
      trusted: ca.isTrusted(g, now),
      trustedUntil: ca.trustedUntil(g),
      rootFingerprint: g.root.fingerprint256,
      issuingFingerprint: g.issuing.fingerprint256,
      issuingNotAfter,
      rotateSoon: issues && issuingNotAfter.getTime() < addDays(now, ROTATE_WARNING_DAYS).getTime(),
    };
  });
}
