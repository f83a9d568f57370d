// The runner's command line and its summary table, apart from running anything so a unit test
// can hold them to what `npm run faults` promises.
import { passed, type FaultReport } from './scenario.js';

export interface RunnerOptions {
  readonly only?: readonly string[];
  readonly scale: 'quick' | 'full';
  readonly outDir: string;
  readonly keep: boolean;
}

export const USAGE =
  'usage: npm run faults -- [--only NAME[,NAME]] [--quick] [--out DIR] [--keep]\n' +
  '  --only NAME   run only these scenarios (comma-separated)\n' +
  '  --quick       the small load CI runs, instead of the full one\n' +
  '  --out DIR     where NAME.json and summary.md go (default fault-reports/)\n' +
  "  --keep        keep each scenario's data directory and platform log";

export class RunnerUsageError extends Error {}

export function parseRunnerArgs(argv: readonly string[], known: readonly string[]): RunnerOptions {
  let only: string[] | undefined;
  let scale: 'quick' | 'full' = 'full';
  let outDir = 'fault-reports';
  let keep = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new RunnerUsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--only') only = value().split(',').filter(Boolean);
    else if (arg === '--quick') scale = 'quick';
    else if (arg === '--out') outDir = value();
    else if (arg === '--keep') keep = true;
    else throw new RunnerUsageError(`unknown argument '${arg}'`);
  }
  const unknown = only?.filter((name) => !known.includes(name)) ?? [];
  if (unknown.length > 0) {
    throw new RunnerUsageError(
      `no scenario named ${unknown.map((n) => `'${n}'`).join(', ')}; there are: ${known.join(', ')}`,
    );
  }
  return { ...(only ? { only } : {}), scale, outDir, keep };
}

/** One line of the summary: a report, or a scenario skipped with its reason. */
export type SummaryRow =
  { readonly report: FaultReport } | { readonly scenario: string; readonly skipped: string };

const cell = (text: string | number) => String(text).replaceAll('|', '\\|').replaceAll('\n', ' ');

export function summaryTable(rows: readonly SummaryRow[]): string {
  const lines = [
    '| scenario | fault | acknowledged | stored | lost | duplicated | checks | pass |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- | --- |',
  ];
  for (const row of rows) {
    if ('skipped' in row) {
      lines.push(`| ${cell(row.scenario)} | skipped: ${cell(row.skipped)} | | | | | | skipped |`);
      continue;
    }
    const r = row.report;
    const held = r.checks.filter((c) => c.ok).length;
    const failed = r.checks.filter((c) => !c.ok).map((c) => c.what);
    const checks = `${held}/${r.checks.length}${failed.length ? ` (failed: ${failed.join('; ')})` : ''}`;
    lines.push(
      `| ${cell(r.scenario)} | ${cell(r.fault)} | ${r.acknowledged} | ${r.stored} | ${r.lost} | ${r.duplicated} | ${cell(checks)} | ${passed(r) ? 'yes' : 'NO'} |`,
    );
  }
  return lines.join('\n');
}
