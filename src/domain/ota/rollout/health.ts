import type { HealthEvaluation } from './ports.js';

/** One line for people: both rates, errors and device-hours, and the sequential test's standing. */
export function describeHealth(e: HealthEvaluation): string {
  const r = (x: number | null) => (x === null ? 'n/a' : x === Infinity ? '∞' : x.toFixed(4));
  const silent = e.silentDevices ? `, ${e.silentDevices} of them devices gone silent,` : '';
  const test =
    e.logLikelihoodRatio !== undefined && e.haltBoundary !== undefined
      ? `, log-likelihood ratio ${e.logLikelihoodRatio.toFixed(2)} of ${e.haltBoundary.toFixed(2)} to halt`
      : '';
  return (
    `new version ${r(e.target.rate)}/device-hour (${e.target.events} errors${silent} in ` +
    `${e.target.deviceHours.toFixed(1)} device-hours) vs old ${r(e.baselineRate)}/device-hour ` +
    `(${e.others.events} errors in ${e.others.deviceHours.toFixed(1)} device-hours), ` +
    `tested against ${e.threshold}×${test}, ` +
    `${new Date(e.from).toISOString()}–${new Date(e.to).toISOString()}`
  );
}
