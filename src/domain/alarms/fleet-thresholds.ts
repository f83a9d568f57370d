import { DEFAULT_FLEET_RULES } from './fleet-rule-schema.js';

const { rejectRate, authFailures } = DEFAULT_FLEET_RULES;

/**
 * Fleet-level alarm thresholds: the figures the exported Prometheus alert rules compare against
 * (src/surfaces/observability-export). Device rules live in default-rules.ts; these are about the
 * fleet as a whole, so they sit here, in one place, for the platform's own fleet rules to share.
 */
export interface FleetThresholds {
  /** Rejected share of a store's messages (0–1) over `rejectWindow` that raises an alarm. */
  readonly rejectRatio: number;
  /** Below this many messages a minute a store's reject ratio is noise, not a signal. */
  readonly rejectMinMessagesPerMinute: number;
  readonly rejectWindow: string;
  /** Refused authentications of one stage within `authWindow` that count as a spike… */
  readonly authFailures: number;
  /** …when also this many times the stage's rate over the hour before. */
  readonly authSpikeFactor: number;
  readonly authWindow: string;
  /** Share of a store's connected devices (0–1) lost within `connectedDropWindow`. */
  readonly connectedDropShare: number;
  /** A store with fewer devices connected before the drop is too small to judge. */
  readonly connectedDropMinDevices: number;
  readonly connectedDropWindow: string;
  /** How long dead letters may wait for `fleetplane dlq replay` before an alarm. */
  readonly deadLettersFor: string;
  /** Publish-to-stored p99 (seconds) that is too slow, held for `latencyFor`. */
  readonly ingestP99Seconds: number;
  readonly latencyWindow: string;
  readonly latencyFor: string;
  /** How long a failed scrape may last before the platform counts as down. */
  readonly downFor: string;
}

export const FLEET_THRESHOLDS: FleetThresholds = {
  // The platform's own fleet rules (decision 040) and Prometheus alert on the same figures.
  rejectRatio: rejectRate!.shareAbove,
  rejectMinMessagesPerMinute: 6,
  rejectWindow: `${rejectRate!.minutes}m`,
  authFailures: authFailures!.perMinuteAbove * authFailures!.minutes,
  authSpikeFactor: 3,
  authWindow: `${authFailures!.minutes}m`,
  connectedDropShare: 0.3,
  connectedDropMinDevices: 5,
  connectedDropWindow: '15m',
  deadLettersFor: '15m',
  // Decision 034 measured p99 74–147 ms at 5,000 messages a second; 2 s is well past normal.
  ingestP99Seconds: 2,
  latencyWindow: '5m',
  latencyFor: '10m',
  downFor: '2m',
};
