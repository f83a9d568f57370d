import Type, { type Static } from 'typebox';
import { SEVERITIES } from './rule-schema.js';

/**
 * Fleet rules (decision 040): conditions no single message shows, judged on a timer against the
 * platform's own counters, the registry and the entity store. One document, profile `fleet`,
 * stored and changed like a device profile's rule set; a section left out is a rule switched off.
 */

const Severity = Type.Enum(SEVERITIES);

/** Window of the rate rules, in minutes: long enough to smooth a burst, short enough to clear. */
const Minutes = Type.Integer({ minimum: 1, maximum: 60 });

export const RejectRateRule = Type.Object(
  {
    severity: Severity,
    minutes: Minutes,
    /** Share of a store's messages refused in the window (0.05: one in twenty). */
    shareAbove: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
    /** Fewer rejects than this never fire, whatever the share: one bad message of ten is noise. */
    minRejects: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);

export const AuthFailureRule = Type.Object(
  {
    severity: Severity,
    minutes: Minutes,
    /** Authentication failures a minute, all stages (TLS, admission, device API) together. */
    perMinuteAbove: Type.Number({ minimum: 0 }),
  },
  { additionalProperties: false },
);

export const FleetDiffRule = Type.Object(
  {
    severity: Severity,
    /** A device counts as present when connected or seen within this window. */
    seenWithin: Type.Union([Type.Literal('15m'), Type.Literal('1h'), Type.Literal('24h')]),
    /** Fires when fewer than this share of a store's expected devices are present. */
    presentShareBelow: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
    /** Stores expecting fewer devices are not judged (a pilot of two carts is all noise). */
    minExpected: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);

export const DeadLetterRule = Type.Object(
  {
    severity: Severity,
    /** Fires while more than this many messages wait in the dead-letter queue. */
    above: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

export const RolloutHaltedRule = Type.Object(
  { severity: Severity },
  { additionalProperties: false },
);

export const FleetRuleSet = Type.Object(
  {
    profile: Type.Literal('fleet'),
    rejectRate: Type.Optional(RejectRateRule),
    authFailures: Type.Optional(AuthFailureRule),
    fleetDiff: Type.Optional(FleetDiffRule),
    deadLetters: Type.Optional(DeadLetterRule),
    rolloutHalted: Type.Optional(RolloutHaltedRule),
  },
  { additionalProperties: false },
);
export type FleetRuleSet = Static<typeof FleetRuleSet>;
export type RejectRateRule = Static<typeof RejectRateRule>;
export type AuthFailureRule = Static<typeof AuthFailureRule>;
export type FleetDiffRule = Static<typeof FleetDiffRule>;

/** The alarms fleet rules raise: rule ids, as alarms and webhooks carry them. */
export const FLEET_RULE_IDS = {
  rejectRate: 'reject-rate',
  authFailures: 'auth-failure-spike',
  fleetDiff: 'fleet-diff',
  deadLetters: 'dead-letters',
  rolloutHalted: 'rollout-halted',
} as const;
export type FleetRuleId = (typeof FLEET_RULE_IDS)[keyof typeof FLEET_RULE_IDS];

export function isFleetRuleId(id: string): id is FleetRuleId {
  return (Object.values(FLEET_RULE_IDS) as string[]).includes(id);
}

/** The store id of an alarm about the whole fleet (no store id can be `*`). */
export const WHOLE_FLEET = '*';

export const DEFAULT_FLEET_RULES: FleetRuleSet = {
  profile: 'fleet',
  rejectRate: { severity: 'warning', minutes: 5, shareAbove: 0.05, minRejects: 20 },
  authFailures: { severity: 'critical', minutes: 5, perMinuteAbove: 10 },
  fleetDiff: { severity: 'warning', seenWithin: '1h', presentShareBelow: 0.8, minExpected: 5 },
  deadLetters: { severity: 'warning', above: 0 },
  rolloutHalted: { severity: 'critical' },
};
