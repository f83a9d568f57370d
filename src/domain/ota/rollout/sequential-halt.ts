import type { HaltEvidence, HealthSample, VersionHealthSample } from './ports.js';

/**
 * The halt rule as a one-sided sequential probability ratio test (Wald's power-one test; decision
 * 037). Each tick adds the errors and device-hours since the last tick to a running log-likelihood
 * ratio of "the new version errs `threshold` × as often as the old" against "as often"; the rollout
 * halts once that ratio reaches ln(1/significance). Under "as often" the ratio is a martingale, so
 * by Ville's inequality the chance it EVER reaches 1/significance is at most `significance`, however
 * many ticks look at it: repeated looks do not inflate false halts, which a test per sliding window
 * did (a clean 10,000-cart rollout halted in about one seed of five).
 */
export interface SequentialRule {
  /** The error-rate ratio the test is tuned to catch (H1); halts above ~ (θ−1)/ln θ eventually. */
  readonly threshold: number;
  /** The most a clean rollout may halt, over its whole life (α). */
  readonly significance: number;
  /** New-version errors needed before a halt (a single fault is never "infinitely worse"). */
  readonly minEvents: number;
  /** New-version device-hours needed before a halt (minimum exposure). */
  readonly minDeviceHours: number;
}

/** Evidence before the first tick after creation or a release. */
export function freshEvidence(since: number): HaltEvidence {
  return {
    since,
    judgedTo: since,
    target: { events: 0, deviceHours: 0 },
    others: { events: 0, deviceHours: 0 },
    logLikelihoodRatio: 0,
    silentDeviceIds: [],
  };
}

/**
 * One tick's increment of the log-likelihood ratio. With both versions running in the increment,
 * the conditional binomial: given the increment's errors, each falls on the new version with
 * chance p = θh/(θh + H) under H1 and h/(h + H) under H0 (h, H: device-hours), which needs no
 * estimate of the base rate and is exact whatever that rate does, as long as both versions share
 * it. With no old version left running (late in the last stage), a Poisson ratio against the
 * rate the old version had over the rollout (`baselineRate`). No exposure and no errors: 0.
 */
export function llrIncrement(
  sample: VersionHealthSample,
  threshold: number,
  baselineRate: number | null,
): number {
  const a = sample.target.events;
  const b = sample.others.events;
  const h = sample.target.deviceHours;
  const H = sample.others.deviceHours;
  if (threshold === 1) return 0;
  if (h > 0 && H > 0) {
    const p0 = h / (h + H);
    const p1 = (threshold * h) / (threshold * h + H);
    return a * Math.log(p1 / p0) + b * Math.log((1 - p1) / (1 - p0));
  }
  // Errors with no new exposure in the increment (a failed boot, a device gone silent) weigh
  // ln θ each, as an extra event does in the Poisson ratio.
  if (baselineRate === null) return h > 0 ? 0 : a * Math.log(threshold);
  return a * Math.log(threshold) - (threshold - 1) * baselineRate * h;
}

const add = (x: HealthSample, y: HealthSample): HealthSample => ({
  events: x.events + y.events,
  deviceHours: x.deviceHours + y.deviceHours,
});

/**
 * The evidence after one more increment [evidence.judgedTo, to). The ratio is floored at
 * −ln(1/α): a long clean run must not bank so much evidence that a problem starting late (a
 * batch of carts going silent in the last stage) takes days to show. The floor costs little:
 * from the floor the boundary is 2 ln(1/α) away, reached under "as often" with chance at most
 * α², so n ticks add at most n·α² to the false-halt bound (decision 037).
 */
export function accumulate(
  evidence: HaltEvidence,
  sample: VersionHealthSample,
  to: number,
  rule: Pick<SequentialRule, 'threshold' | 'significance'>,
  rememberedBaseline: number | null,
  newlySilent: readonly string[] = [],
): HaltEvidence {
  const others = add(evidence.others, sample.others);
  const baseline = others.deviceHours > 0 ? others.events / others.deviceHours : rememberedBaseline;
  const step = {
    target: { ...sample.target, events: sample.target.events + newlySilent.length },
    others: sample.others,
  };
  return {
    since: evidence.since,
    judgedTo: to,
    target: add(evidence.target, step.target),
    others,
    logLikelihoodRatio: Math.max(
      -haltBoundary(rule.significance),
      evidence.logLikelihoodRatio + llrIncrement(step, rule.threshold, baseline),
    ),
    silentDeviceIds: [...evidence.silentDeviceIds, ...newlySilent],
  };
}

/** ln(1/α): the boundary the log-likelihood ratio must reach to halt. */
export const haltBoundary = (significance: number): number => Math.log(1 / significance);

/** Whether the evidence halts the rollout: boundary reached, with enough errors and exposure. */
export function crossesBoundary(evidence: HaltEvidence, rule: SequentialRule): boolean {
  return (
    evidence.target.events >= rule.minEvents &&
    evidence.target.deviceHours >= rule.minDeviceHours &&
    evidence.logLikelihoodRatio >= haltBoundary(rule.significance)
  );
}

/**
 * The naive rule decision 037 replaces, kept to show the difference in tests and the benchmark:
 * a one-sided Poisson z-test of the look's cumulative errors at level `significance` per look.
 */
export function naiveLookHalts(sample: VersionHealthSample, significanceZ: number): boolean {
  const { events: a, deviceHours: h } = sample.target;
  const { events: b, deviceHours: H } = sample.others;
  if (h <= 0 || H <= 0 || b <= 0) return false;
  const expected = (b / H) * h;
  return (a - expected) / Math.sqrt(expected) > significanceZ;
}
