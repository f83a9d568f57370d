import type { DeviceMessageType } from '../../contract/catalog.js';
import type { Comparison, Condition, Rule, RuleSet, Severity } from './rule-schema.js';

/** A message body as the rules see it: the device's signed JSON, parsed. */
export type Body = Readonly<Record<string, unknown>>;
type Test = (body: Body) => boolean;

export interface CompiledRule {
  readonly id: string;
  readonly severity: Severity;
  readonly type: DeviceMessageType;
  readonly consecutive: number;
  readonly fires: Test;
  readonly clears: Test;
  /** The fields the rule reads and their values in a message: what a firing reports. */
  readonly reading: (body: Body) => Record<string, unknown>;
}

/** A profile's rules, found by message type without scanning the others. */
export interface CompiledRuleSet {
  readonly profile: RuleSet['profile'];
  readonly byType: ReadonlyMap<DeviceMessageType, readonly CompiledRule[]>;
  readonly size: number;
}

/** Compiles a checked rule set (checkRuleSet) into closures: no interpretation per message. */
export function compileRuleSet(ruleSet: RuleSet): CompiledRuleSet {
  const byType = new Map<DeviceMessageType, CompiledRule[]>();
  for (const rule of ruleSet.rules) {
    const compiled = compileRule(rule);
    const list = byType.get(rule.type) ?? [];
    list.push(compiled);
    byType.set(rule.type, list);
  }
  return { profile: ruleSet.profile, byType, size: ruleSet.rules.length };
}

function compileRule(rule: Rule): CompiledRule {
  const fires = compileCondition(rule.when);
  const clears = rule.clearWhen ? compileCondition(rule.clearWhen) : (b: Body) => !fires(b);
  return {
    id: rule.id,
    severity: rule.severity,
    type: rule.type,
    consecutive: rule.consecutive ?? 1,
    fires,
    clears,
    reading: compileReading([...new Set([...fieldsOf(rule.when), ...fieldsOf(rule.clearWhen)])]),
  };
}

function compileCondition(condition: Condition): Test {
  if ('all' in condition) {
    const tests = condition.all.map(compileComparison);
    return (b) => tests.every((t) => t(b));
  }
  if ('any' in condition) {
    const tests = condition.any.map(compileComparison);
    return (b) => tests.some((t) => t(b));
  }
  return compileComparison(condition);
}

/** A missing field never satisfies a comparison: a rule fires on what a device said, not on gaps. */
function compileComparison(c: Comparison): Test {
  const read = reader(c.field);
  if (c.above !== undefined) {
    const limit = c.above;
    return (b) => number(read(b)) > limit;
  }
  if (c.atLeast !== undefined) {
    const limit = c.atLeast;
    return (b) => number(read(b)) >= limit;
  }
  if (c.below !== undefined) {
    const limit = c.below;
    return (b) => number(read(b)) < limit;
  }
  if (c.atMost !== undefined) {
    const limit = c.atMost;
    return (b) => number(read(b)) <= limit;
  }
  const expected = c.equals;
  return (b) => read(b) === expected;
}

/** NaN for anything that is not a number: every comparison with NaN is false. */
function number(value: unknown): number {
  return typeof value === 'number' ? value : Number.NaN;
}

function reader(path: string): (body: Body) => unknown {
  const parts = path.split('.');
  if (parts.length === 1) {
    const key = parts[0]!;
    return (b) => b[key];
  }
  return (b) => {
    let value: unknown = b;
    for (const part of parts) {
      if (value === null || typeof value !== 'object') return undefined;
      value = (value as Record<string, unknown>)[part];
    }
    return value;
  };
}

function compileReading(fields: readonly string[]): (body: Body) => Record<string, unknown> {
  const readers = fields.map((field) => [field, reader(field)] as const);
  return (body) => Object.fromEntries(readers.map(([field, read]) => [field, read(body)]));
}

function fieldsOf(condition: Condition | undefined): string[] {
  if (condition === undefined) return [];
  if ('all' in condition) return condition.all.map((c) => c.field);
  if ('any' in condition) return condition.any.map((c) => c.field);
  return [condition.field];
}
