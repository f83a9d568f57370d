import type { StageSpec } from './ports.js';
import { rolloutFailure } from './rollout-errors.js';

export const HOUR_MS = 3_600_000;

/** The seed's stages: canary 10 devices 24 h, 1 % 72 h, then 10 %, 25 % and 100 %. */
export function defaultStages(laterStageMs = 24 * HOUR_MS): StageSpec[] {
  return [
    { name: 'canary', cohort: { devices: 10 }, durationMs: 24 * HOUR_MS },
    { name: 'early', cohort: { percent: 1 }, durationMs: 72 * HOUR_MS },
    { name: '10%', cohort: { percent: 10 }, durationMs: laterStageMs },
    { name: '25%', cohort: { percent: 25 }, durationMs: laterStageMs },
    { name: '100%', cohort: { percent: 100 }, durationMs: laterStageMs },
  ];
}

/**
 * Stages must grow, last at 100 %: a rollout that "completes" short of its whole target set would
 * read as shipped when it is not. Only the first stage may be a fixed count (the canary).
 */
export function checkStages(stages: readonly StageSpec[]): void {
  const bad = (why: string) => rolloutFailure('invalid-rollout', `stages: ${why}`);
  if (stages.length === 0 || stages.length > 20) throw bad('between 1 and 20 stages');
  let last = 0;
  stages.forEach((s, k) => {
    if (!(s.durationMs >= 0) || !Number.isFinite(s.durationMs)) throw bad(`${s.name}: duration`);
    if ('devices' in s.cohort) {
      if (k !== 0) throw bad('only the first stage may be a device count');
      if (!Number.isInteger(s.cohort.devices) || s.cohort.devices < 1) throw bad('canary count');
    } else {
      const p = s.cohort.percent;
      if (!(p > 0 && p <= 100) || p < last) throw bad(`${s.name}: percent must grow to 100`);
      last = p;
    }
  });
  const final = stages[stages.length - 1]!;
  if (!('percent' in final.cohort) || final.cohort.percent !== 100) {
    throw bad('the last stage must cover 100 %');
  }
}
