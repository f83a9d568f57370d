import Type, { type Static } from 'typebox';
import { DEVICE_CLASSES } from '../../contract/ids.js';
import { DEVICE_MESSAGE_TYPES } from '../../contract/catalog.js';

/**
 * A rule set as operators write it (YAML or JSON), one per device profile (decision 035). The
 * conditions are few on purpose: a field of the message compared with a constant, or all/any of
 * those. They compile to plain functions, so twenty rules cost little per message.
 */

/** A dotted path into the message body: `battery_pct`, `location.x`. */
export const FieldPath = Type.String({ pattern: '^[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*){0,3}$' });

export const Comparison = Type.Object(
  {
    field: FieldPath,
    above: Type.Optional(Type.Number()),
    atLeast: Type.Optional(Type.Number()),
    below: Type.Optional(Type.Number()),
    atMost: Type.Optional(Type.Number()),
    equals: Type.Optional(Type.Union([Type.Number(), Type.Boolean(), Type.String()])),
  },
  { additionalProperties: false },
);
export type Comparison = Static<typeof Comparison>;

export const COMPARISON_OPERATORS = ['above', 'atLeast', 'below', 'atMost', 'equals'] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

export const Condition = Type.Union([
  Comparison,
  Type.Object(
    { all: Type.Array(Comparison, { minItems: 1, maxItems: 10 }) },
    {
      additionalProperties: false,
    },
  ),
  Type.Object(
    { any: Type.Array(Comparison, { minItems: 1, maxItems: 10 }) },
    {
      additionalProperties: false,
    },
  ),
]);
export type Condition = Static<typeof Condition>;

export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const Rule = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    severity: Type.Enum(SEVERITIES),
    /** The message type the rule reads. */
    type: Type.Enum(DEVICE_MESSAGE_TYPES),
    when: Condition,
    /** When the alarm resolves; without it, the first message for which `when` is false. */
    clearWhen: Type.Optional(Condition),
    /** Messages in a row for which `when` holds before it fires (2: two consecutive readings). */
    consecutive: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type Rule = Static<typeof Rule>;

/**
 * A device of the profile that sends nothing for this long raises `silent` (issue 18: carts 5
 * minutes while in a session, cold-chain sensors 5 minutes); its next message resolves it.
 */
export const Silence = Type.Object(
  {
    minutes: Type.Integer({ minimum: 1, maximum: 10_080 }),
    /** Watch a cart only between its session-start and session-end. */
    whileInSession: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type Silence = Static<typeof Silence>;

export const RuleSet = Type.Object(
  {
    profile: Type.Enum(DEVICE_CLASSES),
    rules: Type.Array(Rule, { maxItems: 100 }),
    silence: Type.Optional(Silence),
  },
  { additionalProperties: false },
);
export type RuleSet = Static<typeof RuleSet>;
