/** A metric an expression reads, with the label names its own `{…}` matchers name. */
export interface Selector {
  readonly metric: string;
  readonly labels: readonly string[];
}

export interface PromqlReferences {
  readonly selectors: readonly Selector[];
  /** Label names of `by`, `without`, `on`, `ignoring`, `group_left`, `group_right` lists. */
  readonly grouping: readonly string[];
}

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'inf',
  'nan',
  'atan2',
  'start',
  'end',
]);
// Aggregations may put `by (…)` between their name and their parenthesis: `sum by (x) (…)`.
const AGGREGATIONS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
]);
const GROUPING = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const IDENT = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL = /[a-zA-Z_][a-zA-Z0-9_]*/y;

/**
 * The metric and label names a PromQL expression reads: enough of the grammar to tell a metric
 * from a function, a keyword, a label, a string or a duration, so a test can hold every name
 * against what /metrics exports. Grafana's `$variables` are skipped; they are not names.
 */
export function promqlReferences(expr: string): PromqlReferences {
  const selectors: Selector[] = [];
  const grouping: string[] = [];
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at ${i} of: ${expr}`);
  };
  const skipSpace = () => {
    while (i < expr.length && /\s/.test(expr[i]!)) i++;
  };
  const skipString = () => {
    const quote = expr[i]!;
    for (i++; i < expr.length && expr[i] !== quote; i++) if (expr[i] === '\\') i++;
    if (i >= expr.length) fail('unterminated string');
    i++;
  };
  const word = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = i;
    const m = pattern.exec(expr);
    if (!m) return undefined;
    i = pattern.lastIndex;
    return m[0];
  };
  // `{name op "value", …}`: returns the label names.
  const matchers = (): string[] => {
    const names: string[] = [];
    i++;
    for (;;) {
      skipSpace();
      if (expr[i] === '}') break;
      const name = word(LABEL) ?? fail('expected a label name');
      names.push(name);
      skipSpace();
      if (!word(/=~|!~|!=|=/y)) fail('expected a matcher operator');
      skipSpace();
      if (expr[i] !== '"' && expr[i] !== "'" && expr[i] !== '`') fail('expected a string');
      skipString();
      skipSpace();
      if (expr[i] === ',') i++;
      else if (expr[i] !== '}') fail("expected ',' or '}'");
    }
    i++;
    return names;
  };

  while (i < expr.length) {
    const c = expr[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '"' || c === "'" || c === '`') skipString();
    else if (c === '[') {
      i = expr.indexOf(']', i);
      if (i < 0) fail('unterminated range');
      i++;
    } else if (c === '$') {
      i++;
      word(/\{?[a-zA-Z0-9_]+\}?/y);
    } else if (/[0-9.]/.test(c)) word(/[0-9.][0-9a-zA-Z_.+]*/y);
    else if (c === '{') selectors.push({ metric: '', labels: matchers() });
    else if (/[a-zA-Z_:]/.test(c)) {
      const name = word(IDENT)!;
      skipSpace();
      if (GROUPING.has(name.toLowerCase())) {
        if (expr[i] !== '(') continue; // group_left without a list
        const close = expr.indexOf(')', i);
        if (close < 0) fail('unterminated label list');
        for (const label of expr.slice(i + 1, close).split(',')) {
          const trimmed = label.trim();
          if (trimmed !== '') grouping.push(trimmed);
        }
        i = close + 1;
      } else if (KEYWORDS.has(name.toLowerCase()) || AGGREGATIONS.has(name) || expr[i] === '(')
        continue;
      else selectors.push({ metric: name, labels: expr[i] === '{' ? matchers() : [] });
    } else i++;
  }
  return { selectors, grouping };
}

/** A Grafana variable query `label_values(metric, label)`, as a selector. */
export function labelValuesReference(query: string): Selector {
  const m =
    /^label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)$/.exec(query);
  if (!m) throw new Error(`not a label_values(metric, label) query: ${query}`);
  return { metric: m[1]!, labels: [m[2]!] };
}
