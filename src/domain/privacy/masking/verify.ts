import { invariant, type Check } from './columns.js';
import { parseRowDecision } from './decision.js';
import { DIGEST_SHAPE, TOKEN_SHAPE, domainTag } from './identifiers.js';
import { formatOf, readRows } from './records.js';
import { DECISION_COLUMN, type Rubric } from './rubric/index.js';

/** Every way masked output can drift from its rubric; a closed set, counted and reported. */
export const DRIFT_KINDS = [
  'unaccounted-column',
  'dropped-column-present',
  'missing-decision-record',
  'malformed-decision-record',
  'wrong-rubric',
  'mixed-domains',
  'raw-value',
  'malformed-digest',
  'malformed-token',
  'foreign-token',
  'off-grid',
  'off-bin',
  'not-truncated',
  'pii-in-free-text',
  'pii-in-kept-column',
] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

export interface Drift {
  readonly kind: DriftKind;
  readonly line: number;
  readonly column?: string;
}

export interface VerifyResult {
  readonly ok: boolean;
  readonly rows: number;
  readonly domain: string | undefined;
  readonly counts: Partial<Record<DriftKind, number>>;
  /** The first few drifts with where they are; never the values, which may be personal data. */
  readonly examples: readonly Drift[];
}

export interface VerifyOptions {
  readonly rubric: Rubric;
  readonly input: string;
  readonly format?: string;
  /** The domain tokens must belong to; by default the one the first row's record names. */
  readonly domain?: string;
  readonly maxExamples?: number;
}

/**
 * Re-derives the rubric's invariants and checks them on masked output, row by row in constant
 * memory: every column accounted for, a decision record on every row naming this rubric, no raw
 * value in a hashed or tokenised column, digests and tokens of the right shape and domain,
 * coordinates on the grid, timestamps truncated, no PII pattern left in free text.
 */
export async function verifyMasked(options: VerifyOptions): Promise<VerifyResult> {
  const { rubric, input } = options;
  const format = formatOf(input, options.format);
  const counts: Partial<Record<DriftKind, number>> = {};
  const examples: Drift[] = [];
  const max = options.maxExamples ?? 20;
  const report = (kind: DriftKind, line: number, column?: string) => {
    counts[kind] = (counts[kind] ?? 0) + 1;
    if (examples.length < max) examples.push({ kind, line, ...(column ? { column } : {}) });
  };

  let domain = options.domain;
  let tag = domain ? domainTag(domain) : undefined;
  const tokenCheck = (v: string) => {
    const m = TOKEN_SHAPE.exec(v);
    if (m) return m[1] === tag ? undefined : 'foreign-token';
    return v.startsWith('tok_') ? 'malformed-token' : 'raw-value';
  };
  const checks = new Map<string, Check>();
  for (const [column, spec] of rubric.columns)
    checks.set(column, invariant(spec, DIGEST_SHAPE, tokenCheck));

  const checkColumns = (columns: readonly string[], line: number) => {
    for (const c of columns) {
      if (c === DECISION_COLUMN) continue;
      const spec = rubric.columns.get(c);
      if (!spec) report('unaccounted-column', line, c);
      else if (spec.treatment === 'drop') report('dropped-column-present', line, c);
    }
  };
  const seen = new Set<string>();
  const sha = rubric.sha256.slice(0, 12);
  let rows = 0;
  for await (const row of readRows(input, format, (header) => checkColumns(header, 1))) {
    rows++;
    const columns = Object.keys(row.values);
    if (format === 'jsonl') {
      const signature = columns.join('\u0000');
      if (!seen.has(signature)) {
        checkColumns(columns, row.line);
        if (seen.size < 1000) seen.add(signature);
      }
    }
    const raw = row.values[DECISION_COLUMN];
    if (raw !== undefined && raw !== '') {
      const d = parseRowDecision(raw);
      if (!d) report('malformed-decision-record', row.line, DECISION_COLUMN);
      else {
        if (d.rubric !== rubric.name || d.version !== rubric.version || d.sha !== sha) {
          report('wrong-rubric', row.line, DECISION_COLUMN);
        }
        if (domain === undefined) {
          domain = d.domain;
          tag = domainTag(domain);
        } else if (d.domain !== domain) report('mixed-domains', row.line, DECISION_COLUMN);
      }
    } else report('missing-decision-record', row.line);
    for (const column of columns) {
      const check = checks.get(column);
      if (!check) continue;
      const kind = check(row.values[column]) as DriftKind | undefined;
      if (kind) report(kind, row.line, column);
    }
  }
  return { ok: Object.keys(counts).length === 0, rows, domain, counts, examples };
}
