import { stat } from 'node:fs/promises';
import { writeFileAtomic } from '../../stores/data-dir/index.js';
import type { KeyProvider } from '../../stores/keys/index.js';
import {
  detokenize,
  keptColumnsReport,
  loadRubric,
  runMaskJob,
  runRemask,
  synthesize,
  verifyMasked,
  type JobOptions,
} from '../../domain/privacy/masking/index.js';
import { requireString, stringOption, type Command, type CommandIo } from '../command.js';
import { dataDirOf, formatOption, path, positiveInteger } from './options.js';
import { runSummary, verifySummary } from './summary.js';

export interface MaskCommandDeps {
  readonly now: () => Date;
  readonly keys: (dataDir: string) => KeyProvider;
  /** Whether progress lines go to stderr regardless of input size (a terminal is watching). */
  readonly interactive: boolean;
}

// Progress on stderr for inputs over this size, or always when stderr is a terminal.
const LARGE_INPUT_BYTES = 64 * 1024 * 1024;

async function progressFor(input: string, deps: MaskCommandDeps, io: CommandIo) {
  const size = await stat(input).then(
    (s) => s.size,
    () => 0,
  );
  if (!deps.interactive && size < LARGE_INPUT_BYTES) return {};
  const started = Date.now();
  return {
    progressEvery: 100_000,
    onProgress: (rows: number) => {
      const seconds = (Date.now() - started) / 1000;
      io.err(
        `  … ${rows.toLocaleString('en-US')} rows, ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s`,
      );
    },
  };
}

const DATA_OPTION = { data: { type: 'string' } } as const;

export function maskJobCommands(deps: MaskCommandDeps): Command[] {
  return [
    {
      path: ['mask'],
      summary:
        'Mask a CSV or JSON Lines file with a rubric: hash, tokenise, generalise, keep, redact.',
      usage:
        'mask --rubric FILE --domain D --in FILE --out FILE [--data DIR] [--salt ID] [--format csv|jsonl] [--out-format csv|jsonl]',
      details: [
        '--rubric FILE  the rubric (YAML or JSON) naming every column; an unnamed column fails the job',
        '--domain D     the data domain tokens are namespaced by (e.g. tool-telemetry)',
        '--data DIR     keyring and token store (default ./fleet-data); salts and keys come only from here',
        "--salt ID      hash with a previous salt still inside its 30 days (see 'mask salt status')",
        'Writes OUT, OUT.mask.json (the run decision record) and OUT.findings.jsonl (free-text findings).',
        'Every output row carries a _mask column: rubric@version, rubric hash, domain, salt id, run id.',
        'Example: fleetplane mask --rubric examples/tool-telemetry.rubric.yaml --domain tool-telemetry --in raw.csv --out masked.csv',
        'Also: mask verify | remask | report | synth | detokenize | salt status | salt rotate (each has --help).',
      ],
      options: {
        ...DATA_OPTION,
        rubric: { type: 'string' },
        domain: { type: 'string' },
        in: { type: 'string' },
        out: { type: 'string' },
        salt: { type: 'string' },
        format: { type: 'string' },
        'out-format': { type: 'string' },
      },
      required: ['rubric', 'domain', 'in', 'out'],
      async run(values, io) {
        const options = await jobOptions(values, deps, io);
        const record = await runMaskJob(options);
        for (const line of runSummary(record, options.output)) io.out(line);
      },
    },
    {
      path: ['mask', 'remask'],
      summary: 'Re-apply a newer rubric to output masked under an older one (the re-mask runbook).',
      usage:
        'mask remask --rubric FILE --domain D --in MASKED --out FILE [--data DIR] [--previous RUN.mask.json]',
      details: [
        'Reads the run record beside MASKED (MASKED.mask.json, or --previous) to know what was done to',
        'each column; unchanged columns pass through, changed ones get the new treatment, dropped ones',
        'go. Masking cannot be undone: a column the new rubric keeps stays as it was masked.',
        'Runbook: docs/runbooks/remask.md',
        '--format, --out-format  csv or jsonl, for input and output, as for mask',
      ],
      options: {
        ...DATA_OPTION,
        rubric: { type: 'string' },
        domain: { type: 'string' },
        in: { type: 'string' },
        out: { type: 'string' },
        previous: { type: 'string' },
        format: { type: 'string' },
        'out-format': { type: 'string' },
      },
      required: ['rubric', 'domain', 'in', 'out'],
      async run(values, io) {
        const options = await jobOptions(values, deps, io);
        const previous = stringOption(values, 'previous');
        const record = await runRemask({
          ...options,
          ...(previous ? { previous: path(values, 'previous') } : {}),
        });
        for (const line of runSummary(record, options.output)) io.out(line);
      },
    },
    {
      path: ['mask', 'verify'],
      summary: 'Check masked output against its rubric; exit 1 on any drift (cheap enough for CI).',
      usage: 'mask verify --rubric FILE --in MASKED [--domain D] [--format csv|jsonl]',
      details: [
        'Re-derives the invariants from the rubric: every column accounted for, a decision record on every',
        'row for this rubric version, no raw value in hashed or tokenised columns, digests and tokens of the',
        'right shape and domain, coordinates on the grid, times truncated, no PII pattern in free text.',
        'Prints where each drift is (line, column, kind), never the value.',
      ],
      options: {
        rubric: { type: 'string' },
        in: { type: 'string' },
        domain: { type: 'string' },
        format: { type: 'string' },
      },
      required: ['rubric', 'in'],
      async run(values, io) {
        const rubric = await loadRubric(path(values, 'rubric'));
        const input = path(values, 'in');
        const domain = stringOption(values, 'domain');
        const format = formatOption(values);
        const result = await verifyMasked({
          rubric,
          input,
          ...(domain ? { domain } : {}),
          ...(format ? { format } : {}),
        });
        const lines = verifySummary(result, `${rubric.name}@${rubric.version}`, input);
        for (const line of lines) (result.ok ? io.out : io.err)(line);
        return result.ok ? 0 : 1;
      },
    },
    {
      path: ['mask', 'report'],
      summary: 'Write the kept-columns report: which columns are kept unmasked and why (Markdown).',
      usage: 'mask report --rubric FILE [--out FILE]',
      options: { rubric: { type: 'string' }, out: { type: 'string' } },
      required: ['rubric'],
      async run(values, io) {
        const report = keptColumnsReport(await loadRubric(path(values, 'rubric')));
        if (stringOption(values, 'out') === undefined) {
          io.out(report.trimEnd());
          return;
        }
        const out = path(values, 'out');
        await writeFileAtomic(out, report);
        io.out(`Wrote the kept-columns report to ${out}`);
      },
    },
    {
      path: ['mask', 'synth'],
      summary: 'Generate synthetic connected-tool telemetry with a realistic PII surface.',
      usage: 'mask synth --rows N --out FILE [--seed N] [--no-notes] [--format csv|jsonl]',
      details: [
        'Columns: recorded_at, tool_serial, operator_id, operator_email, operator_name, gps_lat, gps_lon,',
        'job_site_address, battery_pct, torque_nm, usage_minutes, notes (free text with names, phones,',
        'emails). --no-notes leaves the free-text column out. The same seed gives the same file.',
      ],
      options: {
        rows: { type: 'string' },
        out: { type: 'string' },
        seed: { type: 'string' },
        'no-notes': { type: 'boolean' },
        format: { type: 'string' },
      },
      required: ['rows', 'out'],
      async run(values, io) {
        const rows = positiveInteger(values, 'rows')!;
        const out = path(values, 'out');
        const seed = positiveInteger(values, 'seed');
        const format = formatOption(values);
        const progress =
          deps.interactive || rows >= 500_000
            ? { onProgress: (n: number) => io.err(`  … ${n.toLocaleString('en-US')} rows`) }
            : {};
        await synthesize({
          rows,
          out,
          notes: values['no-notes'] !== true,
          ...(seed ? { seed } : {}),
          ...(format ? { format } : {}),
          ...progress,
        });
        io.out(`Wrote ${rows} synthetic rows to ${out}`);
      },
    },
    {
      path: ['mask', 'detokenize'],
      summary: 'Look up the value behind a token; audited (who, why, when, which token).',
      usage: 'mask detokenize --domain D --token TOKEN --reason TEXT [--actor NAME] [--data DIR]',
      details: [
        '--reason TEXT  why (an incident or request id): stored in the audit record with the token',
        '--actor NAME   who asks (default: the operating-system user)',
        'The audit record is written under DIR/privacy/audit/detokenize/ before the value is shown.',
        "A token whose entry a DSAR deletion destroyed is refused ('token-erased'), audited too.",
      ],
      options: {
        ...DATA_OPTION,
        domain: { type: 'string' },
        token: { type: 'string' },
        reason: { type: 'string' },
        actor: { type: 'string' },
      },
      required: ['domain', 'token', 'reason'],
      async run(values, io) {
        const dataDir = dataDirOf(values);
        const actor = stringOption(values, 'actor');
        const result = await detokenize(
          {
            dataDir,
            domain: requireString(values, 'domain'),
            token: requireString(values, 'token'),
            reason: requireString(values, 'reason'),
            ...(actor ? { actor } : {}),
            now: deps.now(),
          },
          deps.keys(dataDir),
        );
        io.out(result.value);
        io.err(`audited: ${result.auditFile}`);
      },
    },
  ];
}

async function jobOptions(
  values: Parameters<Command['run']>[0],
  deps: MaskCommandDeps,
  io: CommandIo,
): Promise<JobOptions> {
  const dataDir = dataDirOf(values);
  const input = path(values, 'in');
  const format = formatOption(values);
  const outFormat = formatOption(values, 'out-format');
  const salt = stringOption(values, 'salt');
  return {
    rubric: await loadRubric(path(values, 'rubric')),
    domain: requireString(values, 'domain'),
    keys: deps.keys(dataDir),
    dataDir,
    input,
    output: path(values, 'out'),
    now: deps.now,
    ...(format ? { inputFormat: format } : {}),
    ...(outFormat ? { outputFormat: outFormat } : {}),
    ...(salt ? { saltId: salt } : {}),
    ...(await progressFor(input, deps, io)),
  };
}
