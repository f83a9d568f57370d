import type { HealthEvaluation, HealthVerdict, VersionHealthSample } from './ports.js';

export interface HaltRule {
  /** Halt when the new version's rate exceeds this multiple of the old versions' rate. */
  readonly threshold: number;
  /**
   * Errors on the new version needed before a regression can halt: with a quiet old version
   * (rate 0) a single fault would otherwise be "infinitely worse" and halt a healthy rollout.
   */
  readonly minEvents: number;
  /**
   * The regression must also be unlikely as noise, below this chance: a two-sample test (given
   * all errors in the window, are this many on the new version's share of device-hours?), or a
   * Poisson tail at the remembered baseline when no old version ran in the window. The window
   * slides every tick, so without it small cohorts halt clean rollouts on chance bursts.
   */
  readonly significance: number;
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
    targetRate > rule.threshold * baselineRate &&
    chanceOfNoise(sample, baselineRate, rule.threshold) < rule.significance
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
    significance: rule.significance,
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

/**
 * How likely the new version's error count is at least this high if its rate were exactly
 * `threshold` × the old one (the most it may be without halting): the test is "worse than the
 * threshold", not "worse at all". Tested against equality, a clean rollout evaluated every few
 * minutes over a week halts on chance most of the time (measured with `ota sim`: 4 of 5 seeds
 * at 10,000 carts).
 */
export function chanceOfNoise(
  sample: VersionHealthSample,
  baselineRate: number,
  threshold = 1,
): number {
  const a = sample.target.events;
  const hNew = sample.target.deviceHours * threshold;
  const hOld = sample.others.deviceHours;
  if (hOld <= 0) return poissonTail(a, baselineRate * hNew);
  const n = a + sample.others.events;
  const p = hNew / (hNew + hOld);
  if (p >= 1) return 1;
  return binomialTail(a, n, p);
}

/** P(X ≥ k) for X ~ Binomial(n, p): exact (in logs) up to 20,000 trials, normal beyond. */
export function binomialTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n || p <= 0) return 0;
  if (n > 20_000) {
    return 1 - normalCdf((k - 0.5 - n * p) / Math.sqrt(n * p * (1 - p)));
  }
  const odds = Math.log(p) - Math.log(1 - p);
  let logPmf = n * Math.log(1 - p);
  let tail = 0;
  for (let i = 0; i <= n; i++) {
    if (i > 0) logPmf += Math.log((n - i + 1) / i) + odds;
    if (i >= k) tail += Math.exp(logPmf);
  }
  return Math.min(1, tail);
}

/** P(X ≥ k) for X ~ Poisson(mean): exact sum for small means, normal approximation above. */
export function poissonTail(k: number, mean: number): number {
  if (k <= 0) return 1;
  if (mean <= 0) return 0;
  if (mean > 200) return 1 - normalCdf((k - 0.5 - mean) / Math.sqrt(mean));
  let term = Math.exp(-mean);
  let below = 0;
  for (let i = 0; i < k; i++) {
    below += term;
    term *= mean / (i + 1);
  }
  return Math.max(0, 1 - below);
}

function normalCdf(z: number): number {
  // Abramowitz–Stegun 7.1.26 (error below 1.5e-7), plenty for a 0.001 cut-off.
  const t = 1 / (1 + (0.3275911 * Math.abs(z)) / Math.SQRT2);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
