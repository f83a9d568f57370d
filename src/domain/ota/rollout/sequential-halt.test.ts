import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeHealth } from './health.js';
import type { HealthEvaluation } from './ports.js';
import {
  accumulate,
  crossesBoundary,
  freshEvidence,
  llrIncrement,
  naiveLookHalts,
  type SequentialRule,
} from './sequential-halt.js';

const rule: SequentialRule = {
  threshold: 1.5,
  significance: 0.001,
  minEvents: 3,
  minDeviceHours: 100,
};
const sample = (a: number, h: number, b: number, H: number) => ({
  target: { events: a, deviceHours: h },
  others: { events: b, deviceHours: H },
});

type Random = () => number;

/** mulberry32: seeded floats in [0, 1), so each run below repeats (the device model's is out of reach). */
function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function poisson(random: Random, mean: number): number {
  if (mean > 30) {
    const z =
      Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
  }
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k++;
  return k;
}

/**
 * One rollout's looks: `looks` ticks, each adding `h` new-version and `H` old-version
 * device-hours, errors Poisson at 0.05/device-hour (× `ratio` on the new version). Returns the
 * first look at which the sequential rule and a naive per-look test (z > 2.33, 1 % per look, on
 * the cumulative counts) would halt.
 */
function run(random: Random, ratio: number, looks: number, h: number, H: number) {
  let evidence = freshEvidence(0);
  const cumulative = { a: 0, h: 0, b: 0, H: 0 };
  let sequential: number | null = null;
  let naive: number | null = null;
  for (let k = 1; k <= looks; k++) {
    const step = sample(poisson(random, 0.05 * ratio * h), h, poisson(random, 0.05 * H), H);
    cumulative.a += step.target.events;
    cumulative.h += h;
    cumulative.b += step.others.events;
    cumulative.H += H;
    evidence = accumulate(evidence, step, k, rule, null);
    if (sequential === null && crossesBoundary(evidence, rule)) sequential = k;
    const sofar = sample(cumulative.a, cumulative.h, cumulative.b, cumulative.H);
    if (naive === null && naiveLookHalts(sofar, 2.326)) naive = k;
  }
  return { sequential, naive, evidence };
}

describe('sequential halt rule', () => {
  it('does not halt clean rollouts that a naive per-look test halts, over 300 seeded runs', () => {
    let naive = 0;
    let sequential = 0;
    for (let seed = 1; seed <= 300; seed++) {
      // 288 looks: a day of 5-minute ticks, 100 new-version carts against 9,900 old ones.
      const r = run(mulberry32(seed), 1, 288, 100 / 12, 9900 / 12);
      if (r.naive !== null) naive++;
      if (r.sequential !== null) sequential++;
    }
    // Repeated looks at 1 % each halt a large share of clean runs; the sequential rule's bound
    // is 0.1 % over all looks (Ville), so 300 runs should see none and at most one by chance.
    assert.ok(naive >= 30, `naive per-look test halted ${naive} of 300 clean runs`);
    assert.ok(sequential <= 1, `sequential rule halted ${sequential} of 300 clean runs`);
  });

  it('does not halt on one clean burst that a per-look test calls significant', () => {
    // 12 errors where 5 were expected: z = 3.1 on this look, but 1.5× explains it as well.
    const burst = sample(12, 100, 495, 9900);
    assert.equal(naiveLookHalts(burst, 2.326), true);
    const evidence = accumulate(freshEvidence(0), burst, 1, rule, null);
    assert.ok(evidence.logLikelihoodRatio > 0);
    assert.equal(crossesBoundary(evidence, rule), false);
  });

  it('halts every 2× regression once the new version has enough device-hours', () => {
    const firstHalts: number[] = [];
    for (let seed = 1; seed <= 200; seed++) {
      const r = run(mulberry32(seed), 2, 288, 100 / 12, 9900 / 12);
      assert.notEqual(r.sequential, null, `seed ${seed}: 2× not halted within a day`);
      firstHalts.push(r.sequential!);
    }
    // Never before the minimum exposure: 100 device-hours is look 12 at 100/12 per look.
    assert.ok(Math.min(...firstHalts) >= 12);
  });

  it('waits for the minimum exposure and errors even when the ratio is overwhelming', () => {
    const early = accumulate(freshEvidence(0), sample(40, 50, 250, 5000), 1, rule, null);
    assert.ok(early.logLikelihoodRatio > 10);
    assert.equal(crossesBoundary(early, rule), false, '50 device-hours are below the minimum');
    const later = accumulate(early, sample(40, 50, 250, 5000), 2, rule, null);
    assert.equal(crossesBoundary(later, rule), true);
    const fewErrors = accumulate(freshEvidence(0), sample(2, 500, 0, 5000), 1, rule, null);
    assert.equal(crossesBoundary({ ...fewErrors, logLikelihoodRatio: 99 }, rule), false);
  });

  it('compares with the old version’s rate once no old version runs, and counts silent devices', () => {
    // 60 errors in 500 device-hours against 0.05: 2.4× the remembered rate.
    assert.ok(llrIncrement(sample(60, 500, 0, 0), 1.5, 0.05) > 0);
    assert.ok(llrIncrement(sample(25, 500, 0, 0), 1.5, 0.05) < 0);
    const quiet = accumulate(freshEvidence(0), sample(0, 0, 10, 200), 1, rule, null, ['C1', 'C2']);
    assert.equal(quiet.target.events, 2);
    assert.deepEqual(quiet.silentDeviceIds, ['C1', 'C2']);
    assert.ok(Math.abs(quiet.logLikelihoodRatio - 2 * Math.log(1.5)) < 1e-9);
  });

  it('describes the evidence with both rates and the test’s standing', () => {
    const e: HealthEvaluation = {
      at: 0,
      from: 0,
      to: 0,
      target: { events: 30, deviceHours: 200, rate: 0.15 },
      others: { events: 500, deviceHours: 10_000, rate: 0.05 },
      baselineRate: 0.05,
      threshold: 1.5,
      minEvents: 3,
      significance: 0.001,
      verdict: 'regression',
      logLikelihoodRatio: 7.2,
      haltBoundary: Math.log(1000),
      silentDevices: 2,
    };
    assert.match(
      describeHealth(e),
      /0\.1500\/device-hour \(30 errors, 2 of them devices gone silent, in 200\.0 device-hours\) vs old 0\.0500.* log-likelihood ratio 7\.20 of 6\.91/,
    );
  });
});
