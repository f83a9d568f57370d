import Ajv, { type ErrorObject } from 'ajv';
import { DEVICE_MESSAGES, mayClassSend, type DeviceMessageType } from '../../contract/catalog.js';
import {
  COMPARISON_OPERATORS,
  RuleSet,
  type Comparison,
  type Condition,
  type RuleSet as RuleSetValue,
} from './rule-schema.js';

/** Where in the document a problem is (keys and indexes), and what it is. */
export interface RuleSetProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export type RuleSetCheck =
  | { readonly ok: true; readonly ruleSet: RuleSetValue }
  | { readonly ok: false; readonly problem: RuleSetProblem };

const ajv = new Ajv.default({ strict: true, allErrors: false });
const validate = ajv.compile<RuleSetValue>(JSON.parse(JSON.stringify(RuleSet)) as object);

/**
 * A rule set is accepted only if every rule can fire: the schema first, then what a schema cannot
 * say (a field the message type does not have, a comparison without an operator, a rule for a
 * message the profile's devices never send). A misspelt field is an error at load, not a rule
 * that stays silent.
 */
export function checkRuleSet(value: unknown): RuleSetCheck {
  if (!validate(value)) return { ok: false, problem: fromAjv(validate.errors ?? []) };
  const ruleSet = value;
  const seen = new Set<string>();
  for (const [i, rule] of ruleSet.rules.entries()) {
    const at = (...rest: (string | number)[]) => ['rules', i, ...rest];
    if (rule.id === 'silent') {
      return {
        ok: false,
        problem: { path: at('id'), message: 'silent is the silence alarm; set it with silence' },
      };
    }
    if (seen.has(rule.id)) {
      return {
        ok: false,
        problem: { path: at('id'), message: `rule id ${rule.id} is used twice` },
      };
    }
    seen.add(rule.id);
    if (!mayClassSend(ruleSet.profile, rule.type)) {
      return {
        ok: false,
        problem: {
          path: at('type'),
          message: `${ruleSet.profile} devices do not send ${rule.type} messages`,
        },
      };
    }
    for (const key of ['when', 'clearWhen'] as const) {
      const condition = rule[key];
      if (condition === undefined) continue;
      const problem = checkCondition(rule.type, condition, at(key));
      if (problem) return { ok: false, problem };
    }
  }
  return { ok: true, ruleSet };
}

function checkCondition(
  type: DeviceMessageType,
  condition: Condition,
  path: (string | number)[],
): RuleSetProblem | undefined {
  if ('all' in condition || 'any' in condition) {
    const key = 'all' in condition ? 'all' : 'any';
    const list = 'all' in condition ? condition.all : condition.any;
    for (const [i, comparison] of list.entries()) {
      const problem = checkComparison(type, comparison, [...path, key, i]);
      if (problem) return problem;
    }
    return undefined;
  }
  return checkComparison(type, condition, path);
}

function checkComparison(
  type: DeviceMessageType,
  comparison: Comparison,
  path: (string | number)[],
): RuleSetProblem | undefined {
  const operators = COMPARISON_OPERATORS.filter((op) => comparison[op] !== undefined);
  if (operators.length !== 1) {
    return {
      path,
      message: `a comparison needs exactly one of ${COMPARISON_OPERATORS.join(', ')} (found ${operators.length})`,
    };
  }
  const kind = fieldKind(DEVICE_MESSAGES[type].schema, comparison.field);
  if (kind === undefined) {
    return {
      path: [...path, 'field'],
      message: `${type} messages have no field ${comparison.field}`,
    };
  }
  const operator = operators[0]!;
  if (operator !== 'equals' && kind !== 'number') {
    return {
      path: [...path, operator],
      message: `${comparison.field} is a ${kind}: only equals applies to it`,
    };
  }
  if (operator === 'equals' && typeof comparison.equals !== kind) {
    return {
      path: [...path, 'equals'],
      message: `${comparison.field} is a ${kind}, not a ${typeof comparison.equals}`,
    };
  }
  return undefined;
}

type FieldKind = 'number' | 'boolean' | 'string' | 'other';

interface SchemaNode {
  readonly type?: string;
  readonly properties?: Record<string, SchemaNode>;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
}

/** The kind of value at a dotted path of a message schema, or undefined if there is none. */
export function fieldKind(schema: unknown, path: string): FieldKind | undefined {
  let node = schema as SchemaNode | undefined;
  for (const part of path.split('.')) {
    node = node?.properties?.[part];
    if (node === undefined) return undefined;
  }
  if (node === undefined) return undefined;
  if (node.type === 'number' || node.type === 'integer') return 'number';
  if (node.type === 'boolean') return 'boolean';
  if (node.type === 'string') return 'string';
  const constant = node.const ?? node.enum?.[0];
  if (typeof constant === 'string' || typeof constant === 'number' || typeof constant === 'boolean')
    return typeof constant as FieldKind;
  return 'other';
}

export function fromAjv(errors: readonly ErrorObject[]): RuleSetProblem {
  // A union's errors come per branch; the deepest path names the field that was wrong.
  const deepest = [...errors].sort(
    (a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length,
  )[0];
  if (!deepest) return { path: [], message: 'does not match the rule set schema' };
  const path = deepest.instancePath
    .split('/')
    .slice(1)
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const params = deepest.params as Record<string, unknown>;
  const extra = params['additionalProperty'];
  const allowed = params['allowedValues'];
  const detail =
    extra !== undefined
      ? `has an unknown key ${String(extra)}`
      : Array.isArray(allowed)
        ? `must be one of: ${allowed.join(', ')}`
        : (deepest.message ?? 'is not valid');
  return { path: extra !== undefined ? [...path, String(extra)] : path, message: detail };
}
