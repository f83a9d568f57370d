import { readJsonFile } from '../../../stores/data-dir/index.js';
import { sidecarPath, type ColumnDecision, type RunRecord } from './decision.js';
import { maskFailure } from './errors.js';
import { runMaskJob, type JobOptions, type Planner } from './job.js';
import type { ColumnSpec } from './rubric/index.js';

/**
 * Re-applies a newer rubric to output masked under an older one: the runbook for "a column we
 * kept turns out to be personal data". The old run record (beside the input) says what was done
 * to each column; a column whose treatment is unchanged passes through, a column whose treatment
 * changed gets the new treatment applied to what is there now (hashing a kept value, gridding a
 * finer grid, redacting text again), a column the new rubric drops is dropped. Masking cannot be
 * undone: a column the new rubric keeps but the old one masked stays masked ("kept-as-masked").
 */
export async function runRemask(
  options: JobOptions & { readonly previous?: string },
): Promise<RunRecord> {
  const previousPath = options.previous ?? sidecarPath(options.input);
  const previous = (await readJsonFile(previousPath)) as RunRecord | undefined;
  if (
    !previous ||
    previous.format !== 'fleetplane-mask-run/1' ||
    !Array.isArray(previous.columns)
  ) {
    throw maskFailure(
      'missing-decision-record',
      `no run record at ${previousPath}: remask needs the decision record of the run that produced ${options.input}`,
    );
  }
  if (previous.rubric.name !== options.rubric.name) {
    throw maskFailure(
      'invalid-rubric',
      `${options.input} was masked under rubric '${previous.rubric.name}', not '${options.rubric.name}'`,
    );
  }
  const old = new Map<string, ColumnDecision>(previous.columns.map((c) => [c.column, c]));
  const planner: Planner = (column, spec, build) => {
    const before = old.get(column);
    const decision = (action: ColumnDecision['action']): ColumnDecision => ({
      column,
      bucket: spec.bucket,
      treatment: spec.treatment,
      spec,
      action,
    });
    if (spec.treatment === 'drop') return { decision: decision('dropped'), apply: 'drop' };
    if (!before) return { decision: decision('applied'), apply: build() };
    if (sameTreatment(before.spec, spec))
      return { decision: decision('unchanged'), apply: 'as-is' };
    if (spec.treatment === 'keep') return { decision: decision('kept-as-masked'), apply: 'as-is' };
    return { decision: decision('re-treated'), apply: build() };
  };
  return runMaskJob(options, {
    planner,
    from: { run: previous.run, rubricVersion: previous.rubric.version },
  });
}

/** Same treatment with the same parameters; notes and reasons do not change what was done. */
function sameTreatment(a: ColumnSpec, b: ColumnSpec): boolean {
  const essence = (s: ColumnSpec) =>
    JSON.stringify(
      Object.entries(s)
        .filter(([k]) => k !== 'note' && k !== 'reason')
        .sort(([x], [y]) => x.localeCompare(y)),
    );
  return essence(a) === essence(b);
}
