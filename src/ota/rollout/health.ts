import type { HealthEvaluation, HealthVerdict, VersionHealthSample } from './ports.js';

export interface HaltRule {
  /** Halt when the new version's rate exceeds this multiple of the old versions' rate. */
  readonly threshold: number;
  /**
   * Errors on the new version needed before a regression can halt: with a quiet old version
   * (rate 0) a single fault would otherwise be "infinitely worse" and halt a healthy rollout.
   */
  readonly minEvents: number;
}

const rate = (events: number, hours: number): number | null =>
  hours > 0 ? events / hours : events > 0 ? Infinity : null;

/**
 * Judges one window. The baseline is the old versions' rate in this window; when no old version
 * ran in it (late in the last stage every device is on the new one) the last baseline measured
 * stands in, so the halt condition keeps its meaning to the end. No baseline at all, or no new
 * exposure: insufficient-data (never a halt, never an advance).
 */
export function evaluateHealth(
  sample: VersionHealthSample,
  window: { readonly at: number; readonly from: number; readonly to: number },
  rule: HaltRule,
  previousBaseline: number | null,
): HealthEvaluation {
  const targetRate = rate(sample.target.events, sample.target.deviceHours);
  const othersRate =
    sample.others.deviceHours > 0 ? rate(sample.others.events, sample.others.deviceHours) : null;
  const baselineRate = othersRate ?? previousBaseline;
  let verdict: HealthVerdict;
  if (baselineRate === null) verdict = 'insufficient-data';
  else if (
    sample.target.events >= rule.minEvents &&
    targetRate !== null &&
    targetRate > rule.threshold * baselineRate
  ) {
    verdict = 'regression';
  } else if (sample.target.deviceHours <= 0) verdict = 'insufficient-data';
  else verdict = 'ok';
  return {
    ...window,
    target: { ...sample.target, rate: targetRate },
    others: { ...sample.others, rate: othersRate },
    baselineRate,
    threshold: rule.threshold,
    minEvents: rule.minEvents,
    verdict,
  };
}

/** One line for people: both rates, events and device-hours. */
export function describeHealth(e: HealthEvaluation): string {
  const r = (x: number | null) => (x === null ? 'n/a' : x === Infinity ? '∞' : x.toFixed(4));
  return (
    `new version ${r(e.target.rate)}/device-hour (${e.target.events} errors in ` +
    `${e.target.deviceHours.toFixed(1)} device-hours) vs old ${r(e.baselineRate)}/device-hour ` +
    `(${e.others.events} errors in ${e.others.deviceHours.toFixed(1)} device-hours), ` +
    `threshold ${e.threshold}×, ${new Date(e.from).toISOString()}–${new Date(e.to).toISOString()}`
  );
}
