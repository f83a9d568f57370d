import { randomBytes } from 'node:crypto';
import { rename } from 'node:fs/promises';
import { basename } from 'node:path';
import { writeJsonFileAtomic } from '../../../stores/data-dir/index.js';
import type { KeyProvider } from '../../../stores/keys/index.js';
import { treatment, type Apply, type TreatmentContext } from './columns.js';
import {
  findingsPath,
  rowDecisionFor,
  sidecarPath,
  type ColumnDecision,
  type RunRecord,
} from './decision.js';
import type { EntityType } from './detect/index.js';
import { maskFailure } from './errors.js';
import { checkDomain, makeTokenizer } from './identifiers.js';
import {
  LineLog,
  formatOf,
  guessFormat,
  openRowWriter,
  readRows,
  tempPathFor,
  type Format,
  type RowWriter,
} from './records.js';
import { DECISION_COLUMN, type ColumnSpec, type Rubric } from './rubric/index.js';
import { TokenSegment, tokenKeyName } from './token-store.js';

export interface JobOptions {
  readonly rubric: Rubric;
  readonly domain: string;
  readonly keys: KeyProvider;
  /** The data directory: where the token mapping store lives. */
  readonly dataDir: string;
  /** The input file; with `rows`, only the name the run record and messages give the source. */
  readonly input: string;
  /**
   * Rows from the platform instead of a file (decision 046: `export tool-telemetry`), so values
   * that must not rest in the clear anywhere (an opened operator id) exist only in this process
   * until their column's treatment has run. Read as JSON Lines rows are.
   */
  readonly rows?: AsyncIterable<Record<string, unknown>>;
  readonly output: string;
  readonly inputFormat?: string;
  readonly outputFormat?: string;
  /** Hash with this salt instead of the current one (a previous salt within its 30 days). */
  readonly saltId?: string;
  readonly now: () => Date;
  /** Called with the number of rows done, every `progressEvery` rows. */
  readonly onProgress?: (rows: number) => void;
  readonly progressEvery?: number;
}

/** How each input column is handled: a treatment, or (remask) left as it is. */
export interface ColumnPlan {
  readonly decision: ColumnDecision;
  readonly apply: Apply | 'as-is' | 'drop';
}

/** Decides the plan for one input column; remask passes its own to compare with the old rubric. */
export type Planner = (column: string, spec: ColumnSpec, build: () => Apply) => ColumnPlan;

const freshPlanner: Planner = (column, spec, build) => ({
  decision: {
    column,
    bucket: spec.bucket,
    treatment: spec.treatment,
    spec,
    action: spec.treatment === 'drop' ? 'dropped' : 'applied',
  },
  apply: spec.treatment === 'drop' ? 'drop' : build(),
});

export interface RemaskSource {
  readonly planner: Planner;
  readonly from: { readonly run: string; readonly rubricVersion: number };
}

function newRunId(now: Date): string {
  return `${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

/**
 * Masks a CSV or JSON Lines file row by row in constant memory: the streaming job behind
 * `fleetplane mask` (and, with a remask source, `mask remask`). Fails closed on a column the
 * rubric does not name, on a value a treatment cannot process and on malformed input, and then
 * leaves no output behind. Writes the output, its findings log and its run record.
 */
export async function runMaskJob(options: JobOptions, remask?: RemaskSource): Promise<RunRecord> {
  const { rubric, keys, input, output } = options;
  const domain = checkDomain(options.domain);
  const inFormat = options.rows ? 'jsonl' : formatOf(input, options.inputFormat);
  const outFormat = options.outputFormat
    ? formatOf(output, options.outputFormat)
    : (guessFormat(output) ?? inFormat);
  const startedAt = options.now();
  const run = newRunId(startedAt);
  const salt = options.saltId ? await keys.salt(options.saltId) : await keys.currentSalt();
  const tokenize = makeTokenizer(domain, await keys.dataKey(tokenKeyName(domain)));
  const segment = await TokenSegment.open(options.dataDir, domain, run, keys);
  const findingsTemp = tempPathFor(findingsPath(output));
  const findingsLog = new LineLog(findingsTemp);
  const findingCounts: Partial<Record<EntityType, number>> = {};
  const ctx: TreatmentContext = {
    salt: salt.material,
    tokenize,
    onToken: (token, value) => segment.record(token, value),
    onFinding: (row, column, f) => {
      findingCounts[f.type] = (findingCounts[f.type] ?? 0) + 1;
      return findingsLog.write(
        `{"row":${row},"column":${JSON.stringify(column)},"type":"${f.type}","start":${f.start},"end":${f.end},"rule":"${f.rule}"}`,
      );
    },
  };
  const planner = remask?.planner ?? freshPlanner;
  const plans = new Map<string, ColumnPlan>();
  const planFor = (column: string): ColumnPlan => {
    let plan = plans.get(column);
    if (!plan) {
      const spec = rubric.columns.get(column)!;
      plan = planner(column, spec, () => treatment(column, spec, ctx));
      plans.set(column, plan);
    }
    return plan;
  };
  const decisionValue = rowDecisionFor(rubric, domain, salt.id, run);
  const expectDecision = remask !== undefined;

  const checkColumns = (columns: readonly string[], where: string) => {
    const unknown = columns.filter((c) => c !== DECISION_COLUMN && !rubric.columns.has(c));
    if (unknown.length > 0) {
      throw maskFailure(
        'unknown-column',
        `${where}: the rubric ${rubric.name}@${rubric.version} does not name ${unknown.map((c) => `'${c}'`).join(', ')}; add ${unknown.length === 1 ? 'it' : 'them'} to the rubric (fail closed: nothing was written)`,
      );
    }
    if (!expectDecision && columns.includes(DECISION_COLUMN)) {
      throw maskFailure(
        'reserved-column',
        `${where}: the input already carries '${DECISION_COLUMN}': it is masked output; use 'fleetplane mask remask'`,
      );
    }
  };

  let writer: RowWriter | undefined;
  let seenColumns: string[] = [];
  const openWriter = (columns: readonly string[]) => {
    seenColumns = columns.filter((c) => c !== DECISION_COLUMN);
    const kept = seenColumns.filter((c) => planFor(c).apply !== 'drop');
    writer = openRowWriter(output, outFormat, [...kept, DECISION_COLUMN]);
  };
  const rubricOrder = [...rubric.columns.keys()];
  if (inFormat === 'jsonl') openWriter(rubricOrder);

  const knownKeySets = new Set<string>();
  let rows = 0;
  const every = options.progressEvery ?? 100_000;
  try {
    const source = options.rows
      ? fromRecords(options.rows)
      : readRows(input, inFormat, (header) => {
          checkColumns(header, `${input} line 1`);
          openWriter(header);
        });
    for await (const row of source) {
      const keys = Object.keys(row.values);
      if (inFormat === 'jsonl') {
        const signature = keys.join('\u0000');
        if (!knownKeySets.has(signature)) {
          checkColumns(keys, `${input} line ${row.line}`);
          if (knownKeySets.size < 1000) knownKeySets.add(signature);
        }
      }
      if (
        expectDecision &&
        (row.values[DECISION_COLUMN] === undefined || row.values[DECISION_COLUMN] === '')
      ) {
        throw maskFailure(
          'missing-decision-record',
          `${input} line ${row.line}: the row has no '${DECISION_COLUMN}' decision record`,
        );
      }
      const out: Record<string, unknown> = {};
      const wait: Promise<void>[] = [];
      const where = { origin: input, line: row.line, index: row.index };
      for (const column of keys) {
        if (column === DECISION_COLUMN) continue;
        const plan = planFor(column);
        if (plan.apply === 'drop') continue;
        out[column] =
          plan.apply === 'as-is' ? row.values[column] : plan.apply(row.values[column], where, wait);
      }
      out[DECISION_COLUMN] = decisionValue;
      const pending = writer!.write(out);
      if (pending) wait.push(pending);
      if (wait.length > 0) await Promise.all(wait);
      rows++;
      if (options.onProgress && rows % every === 0) options.onProgress(rows);
    }
    if (!writer) openWriter(rubricOrder);
    await findingsLog.close();
    await segment.close();
    await writer!.commit();
    await rename(findingsTemp, findingsPath(output));
  } catch (error) {
    await writer?.abort();
    await findingsLog.discard();
    await segment.discard();
    throw error;
  }

  const present = inFormat === 'csv' ? seenColumns : rubricOrder.filter((c) => plans.has(c));
  const record: RunRecord = {
    format: 'fleetplane-mask-run/1',
    run,
    kind: remask ? 'remask' : 'mask',
    rubric: {
      name: rubric.name,
      version: rubric.version,
      sha256: rubric.sha256,
      file: basename(rubric.source),
    },
    domain,
    salt: { id: salt.id, quarter: salt.quarter },
    input: basename(input),
    output: basename(output),
    startedAt: startedAt.toISOString(),
    finishedAt: options.now().toISOString(),
    rows,
    columns: present.map((c) => planFor(c).decision),
    absentColumns: rubricOrder.filter((c) => !present.includes(c)),
    findings: findingCounts,
    findingsLog: basename(findingsPath(output)),
    remaskedFrom: remask?.from,
  };
  await writeJsonFileAtomic(sidecarPath(output), record);
  return record;
}

/** Records as rows: row n is "line" n of the source, as a JSON Lines file's would be. */
async function* fromRecords(
  records: AsyncIterable<Record<string, unknown>>,
): AsyncGenerator<{ line: number; index: number; values: Record<string, unknown> }> {
  let index = 0;
  for await (const values of records) {
    index++;
    yield { line: index, index, values };
  }
}

export type { Format };
