import { describeHealth } from './health.js';
import type {
  HaltEvidence,
  HealthEvaluation,
  RolloutRecord,
  VersionHealthSample,
} from './ports.js';
import { withAction } from './rollout-plan.js';
import { ROLLOUT_DEFAULTS } from './rollout-spec.js';
import {
  accumulate,
  crossesBoundary,
  freshEvidence,
  haltBoundary,
  type SequentialRule,
} from './sequential-halt.js';

export type StageOutcome = 'halted' | 'advanced' | 'completed' | 'held';

/**
 * Boots that fell back: a build that the bootloader rejects on most devices that install it is
 * broken, whatever the error rate per device-hour says. The sequential rule needs exposure on the
 * new version, and a rolled-back device has none, so such a build would wait hours for a verdict
 * it already has. More than half of the devices that finished installing, and at least
 * `minEvents` of them, halt at once.
 */
export const ROLLBACK_HALT_SHARE = 0.5;

export interface InstallOutcomes {
  /** Jobs whose device booted the new version and kept it. */
  readonly kept: number;
  /** Jobs whose device fell back to the old slot. */
  readonly rolledBack: number;
}

/** The evidence a tick adds to: the stored one, or fresh after creation or a release. */
export function currentEvidence(rollout: RolloutRecord): HaltEvidence {
  const e = rollout.evidence;
  return e !== undefined && e.since === rollout.healthFrom ? e : freshEvidence(rollout.healthFrom);
}

export function sequentialRule(rollout: RolloutRecord): SequentialRule {
  return {
    threshold: rollout.haltThreshold,
    significance: rollout.significance,
    minEvents: rollout.minEvents,
    minDeviceHours: rollout.minDeviceHours ?? ROLLOUT_DEFAULTS.minDeviceHours,
  };
}

/**
 * One tick's verdict on a running rollout, given the health of [evidence.judgedTo, now) and the
 * devices that went silent after taking the job since the last tick. The sequential rule
 * (sequential-halt.ts) halts at once when the evidence since creation (or the last release)
 * crosses its boundary. It advances only when the stage has lasted its duration, a full window of
 * data lies inside the stage and after the last release, and the evidence is not a regression;
 * the last stage then completes. Pure: returns the rollout as it should be stored.
 */
export function judgeStage(
  rollout: RolloutRecord,
  sample: VersionHealthSample,
  now: number,
  newlySilent: readonly string[] = [],
  installs: InstallOutcomes = { kept: 0, rolledBack: 0 },
): { readonly rollout: RolloutRecord; readonly outcome: StageOutcome } {
  const rule = sequentialRule(rollout);
  const { events, deviceHours } = rollout.baseline;
  const remembered = deviceHours > 0 ? events / deviceHours : null;
  const evidence = accumulate(currentEvidence(rollout), sample, now, rule, remembered, newlySilent);
  const health = evaluation(evidence, rule, now, remembered);
  const next: RolloutRecord = {
    ...rollout,
    evidence,
    lastHealth: health,
    baseline: {
      events: events + sample.others.events,
      deviceHours: deviceHours + sample.others.deviceHours,
    },
    updatedAt: now,
  };
  const finished = installs.kept + installs.rolledBack;
  const brokenBuild =
    installs.rolledBack >= rollout.minEvents &&
    installs.rolledBack > ROLLBACK_HALT_SHARE * finished;
  if (brokenBuild || health.verdict === 'regression') {
    const reason = brokenBuild
      ? `boot rollbacks: ${installs.rolledBack} of ${finished} devices that installed it rolled back`
      : `error-rate regression: ${describeHealth(health)}`;
    const halted = { ...next, state: 'halted' as const, haltReason: reason, haltedHealth: health };
    return { rollout: withAction(halted, 'halt', now, 'engine', reason), outcome: 'halted' };
  }
  const stage = rollout.stages[rollout.stageIndex]!;
  const stageDone = now - rollout.stageStartedAt >= stage.durationMs;
  const fullWindow = now - rollout.windowMs >= Math.max(rollout.stageStartedAt, rollout.healthFrom);
  if (!stageDone || !fullWindow || health.verdict !== 'ok')
    return { rollout: next, outcome: 'held' };
  if (rollout.stageIndex === rollout.stages.length - 1) {
    const done = { ...next, state: 'completed' as const };
    return {
      rollout: withAction(done, 'complete', now, 'engine', describeHealth(health)),
      outcome: 'completed',
    };
  }
  const advanced = { ...next, stageIndex: rollout.stageIndex + 1, stageStartedAt: now };
  return {
    rollout: withAction(advanced, 'advance', now, 'engine', describeHealth(health)),
    outcome: 'advanced',
  };
}

const rate = (events: number, hours: number): number | null =>
  hours > 0 ? events / hours : events > 0 ? Infinity : null;

/** The evidence as the status shows it: cumulative rates, the ratio and its boundary. */
function evaluation(
  evidence: HaltEvidence,
  rule: SequentialRule,
  now: number,
  remembered: number | null,
): HealthEvaluation {
  const othersRate = rate(evidence.others.events, evidence.others.deviceHours);
  const baselineRate = evidence.others.deviceHours > 0 ? othersRate : remembered;
  const verdict = crossesBoundary(evidence, rule)
    ? 'regression'
    : baselineRate === null || evidence.target.deviceHours <= 0
      ? 'insufficient-data'
      : 'ok';
  return {
    at: now,
    from: evidence.since,
    to: now,
    target: { ...evidence.target, rate: rate(evidence.target.events, evidence.target.deviceHours) },
    others: { ...evidence.others, rate: evidence.others.deviceHours > 0 ? othersRate : null },
    baselineRate,
    threshold: rule.threshold,
    minEvents: rule.minEvents,
    significance: rule.significance,
    verdict,
    logLikelihoodRatio: evidence.logLikelihoodRatio,
    haltBoundary: haltBoundary(rule.significance),
    silentDevices: evidence.silentDeviceIds.length,
    minDeviceHours: rule.minDeviceHours,
  };
}
