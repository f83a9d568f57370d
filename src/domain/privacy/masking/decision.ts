import type { EntityType } from './detect/index.js';
import type { Bucket, ColumnSpec, Rubric } from './rubric/index.js';

/**
 * The masking decision record. Every masked row carries a compact `_mask` column naming the
 * rubric (name, version, hash of the file), the data domain, the salt and the run; the run's
 * sidecar file `<out>.mask.json` says for that run, column by column, which bucket and treatment
 * applied; `<out>.findings.jsonl` lists every entity redacted from free text, by row. Together
 * they answer "what exactly was done to this row" without storing a full record per row.
 */
export interface RowDecision {
  readonly rubric: string;
  readonly version: number;
  readonly sha: string;
  readonly domain: string;
  readonly salt: string;
  readonly run: string;
}

export function formatRowDecision(d: RowDecision): string {
  return `rubric=${d.rubric}@${d.version};sha=${d.sha};domain=${d.domain};salt=${d.salt};run=${d.run}`;
}

const ROW_DECISION =
  /^rubric=([a-z0-9-]+)@(\d+);sha=([0-9a-f]{12});domain=([a-z0-9-]+);salt=([A-Za-z0-9._-]+);run=([A-Za-z0-9-]+)$/;

export function parseRowDecision(text: unknown): RowDecision | undefined {
  if (typeof text !== 'string') return undefined;
  const m = ROW_DECISION.exec(text);
  if (!m) return undefined;
  return {
    rubric: m[1]!,
    version: Number(m[2]),
    sha: m[3]!,
    domain: m[4]!,
    salt: m[5]!,
    run: m[6]!,
  };
}

export interface ColumnDecision {
  readonly column: string;
  readonly bucket: Bucket;
  readonly treatment: ColumnSpec['treatment'];
  /** The treatment's parameters and reason as the rubric gave them. */
  readonly spec: ColumnSpec;
  /** For remask: what happened to a column that was already masked. */
  readonly action?: 'applied' | 'unchanged' | 're-treated' | 'kept-as-masked' | 'dropped';
}

export interface RunRecord {
  readonly format: 'fleetplane-mask-run/1';
  readonly run: string;
  readonly kind: 'mask' | 'remask';
  readonly rubric: {
    readonly name: string;
    readonly version: number;
    readonly sha256: string;
    readonly file: string;
  };
  readonly domain: string;
  readonly salt: { readonly id: string; readonly quarter: string };
  readonly input: string;
  readonly output: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly rows: number;
  readonly columns: readonly ColumnDecision[];
  /** Rubric columns the input did not have. */
  readonly absentColumns: readonly string[];
  readonly findings: Partial<Record<EntityType, number>>;
  readonly findingsLog: string;
  readonly remaskedFrom?: { readonly run: string; readonly rubricVersion: number } | undefined;
}

export function sidecarPath(output: string): string {
  return `${output}.mask.json`;
}

export function findingsPath(output: string): string {
  return `${output}.findings.jsonl`;
}

export function rowDecisionFor(rubric: Rubric, domain: string, salt: string, run: string): string {
  return formatRowDecision({
    rubric: rubric.name,
    version: rubric.version,
    sha: rubric.sha256.slice(0, 12),
    domain,
    salt,
    run,
  });
}
