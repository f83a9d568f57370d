import Ajv from 'ajv';
import { FleetRuleSet } from './fleet-rule-schema.js';
import { checkRuleSet, fromAjv, type RuleSetProblem } from './rule-set-check.js';
import type { RuleSet } from './rule-schema.js';

const ajv = new Ajv.default({ strict: true, allErrors: false });
const validate = ajv.compile<FleetRuleSet>(JSON.parse(JSON.stringify(FleetRuleSet)) as object);

export type AnyRuleSet = RuleSet | FleetRuleSet;

export type AnyRuleSetCheck =
  | { readonly ok: true; readonly ruleSet: AnyRuleSet }
  | { readonly ok: false; readonly problem: RuleSetProblem };

export function isFleetRuleSet(set: AnyRuleSet): set is FleetRuleSet {
  return set.profile === 'fleet';
}

/** The fleet rules' document: the schema says everything there is to check. */
export function checkFleetRuleSet(value: unknown): AnyRuleSetCheck {
  if (!validate(value)) return { ok: false, problem: fromAjv(validate.errors ?? []) };
  return { ok: true, ruleSet: value };
}

/** A device profile's rule set or the fleet's, by its `profile`. */
export function checkAnyRuleSet(value: unknown): AnyRuleSetCheck {
  const profile = (value as { profile?: unknown } | null)?.profile;
  return profile === 'fleet' ? checkFleetRuleSet(value) : checkRuleSet(value);
}
