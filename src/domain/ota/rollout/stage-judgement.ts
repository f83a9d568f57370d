import { describeHealth, evaluateHealth } from './health.js';
import type { RolloutRecord, VersionHealthSample } from './ports.js';
import { withAction } from './rollout-plan.js';

export type StageOutcome = 'halted' | 'advanced' | 'completed' | 'held';

/**
 * One tick's verdict on a running rollout, given the health of the trailing window [from, now).
 * A regression halts it at once (partial windows included: a bad version should not wait out a
 * window). It advances only when the stage has lasted its duration, a full window of data lies
 * inside the stage and after the last release, and that window is clean; the last stage then
 * completes. Pure: returns the rollout as it should be stored.
 */
export function judgeStage(
  rollout: RolloutRecord,
  sample: VersionHealthSample,
  window: { readonly from: number; readonly now: number },
): { readonly rollout: RolloutRecord; readonly outcome: StageOutcome } {
  const { from, now } = window;
  const rule = {
    threshold: rollout.haltThreshold,
    minEvents: rollout.minEvents,
    significance: rollout.significance,
  };
  const { events, deviceHours } = rollout.baseline;
  const remembered = deviceHours > 0 ? events / deviceHours : null;
  const health = evaluateHealth(sample, { at: now, from, to: now }, rule, remembered);
  const next: RolloutRecord = {
    ...rollout,
    lastHealth: health,
    baseline: {
      events: events + sample.others.events,
      deviceHours: deviceHours + sample.others.deviceHours,
    },
    updatedAt: now,
  };
  if (health.verdict === 'regression') {
    const reason = `error-rate regression: ${describeHealth(health)}`;
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
