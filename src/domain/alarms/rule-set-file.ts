import { LineCounter, parseDocument } from 'yaml';
import type { AnyRuleSet } from './fleet-rule-check.js';
import { checkRuleSet, type RuleSetProblem } from './rule-set-check.js';
import type { RuleSet } from './rule-schema.js';

export type RuleSetFile<T = RuleSet> =
  { readonly ok: true; readonly ruleSet: T } | { readonly ok: false; readonly error: string };

type Check<T> = (
  value: unknown,
) =>
  | { readonly ok: true; readonly ruleSet: T }
  | { readonly ok: false; readonly problem: RuleSetProblem };

/**
 * Reads a rule set written in YAML or JSON (JSON is YAML too) and says where the first problem is
 * by line and column, as operators edit these files by hand.
 */
export function readRuleSetFile(text: string, name: string): RuleSetFile;
// Any document checked the same way (the integrations document too) gets the same line numbers.
export function readRuleSetFile<T>(text: string, name: string, check: Check<T>): RuleSetFile<T>;
export function readRuleSetFile(
  text: string,
  name: string,
  check: Check<AnyRuleSet | unknown> = checkRuleSet,
): RuleSetFile<AnyRuleSet | unknown> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax) {
    const { line, col } = lines.linePos(syntax.pos[0]);
    return { ok: false, error: `${name}:${line}:${col}: ${firstLine(syntax.message)}` };
  }
  const checked = check(doc.toJS());
  if (checked.ok) return checked;
  return {
    ok: false,
    error: `${name}:${where(doc, lines, checked.problem)}: ${describe(checked.problem)}`,
  };
}

/** `rules[2].when.field: …` — the path as an operator reads it. */
export function describe(problem: RuleSetProblem): string {
  const path = problem.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`))
    .join('');
  return path === '' ? problem.message : `${path}: ${problem.message}`;
}

function where(
  doc: ReturnType<typeof parseDocument>,
  lines: LineCounter,
  problem: RuleSetProblem,
): string {
  // The deepest node of the path that exists (an unknown key's own node, a missing key's parent).
  for (let n = problem.path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(problem.path.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) {
      const keyRange = keyOf(doc, problem.path.slice(0, n));
      const { line, col } = lines.linePos(keyRange ?? range[0]);
      return `${line}:${col}`;
    }
  }
  return '1:1';
}

/** Where the key of a mapping entry starts, so an error points at `field:` rather than its value. */
function keyOf(
  doc: ReturnType<typeof parseDocument>,
  path: readonly (string | number)[],
): number | undefined {
  const last = path[path.length - 1];
  if (typeof last !== 'string') return undefined;
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const items = (parent as { items?: { key?: { value?: unknown; range?: number[] } }[] } | null)
    ?.items;
  return items?.find((item) => item.key?.value === last)?.key?.range?.[0];
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
