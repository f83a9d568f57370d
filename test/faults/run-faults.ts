// `npm run faults`: runs the fault scenarios one after another (each its own platform, on a
// machine the load shares), writes NAME.json per scenario and summary.md, prints the table and
// exits 1 if any scenario failed. Usage in fault-summary.ts (USAGE).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  parseRunnerArgs,
  RunnerUsageError,
  summaryTable,
  USAGE,
  type SummaryRow,
} from './fault-summary.js';
import { passed, type FaultReport } from './scenario.js';
import { SCENARIOS } from './scenarios.js';

let options;
try {
  options = parseRunnerArgs(
    process.argv.slice(2),
    SCENARIOS.map((s) => s.name),
  );
} catch (error) {
  if (!(error instanceof RunnerUsageError)) throw error;
  process.stderr.write(`${error.message}\n${USAGE}\n`);
  process.exit(2);
}

const outDir = resolve(options.outDir);
await mkdir(outDir, { recursive: true });
const selected = SCENARIOS.filter((s) => !options.only || options.only.includes(s.name));
const rows: SummaryRow[] = [];
let failed = 0;
for (const scenario of selected) {
  const reason = await scenario.unavailable();
  if (reason !== undefined) {
    console.log(`- ${scenario.name}: skipped (${reason})`);
    rows.push({ scenario: scenario.name, skipped: reason });
    continue;
  }
  console.log(`- ${scenario.name}: ${scenario.title} (${options.scale})`);
  const workDir = await mkdtemp(join(tmpdir(), `fault-${scenario.name}-`));
  const log = (line: string) => console.log(`  ${scenario.name}: ${line}`);
  let report: FaultReport;
  const began = performance.now();
  try {
    report = await scenario.run({ workDir, log, scale: options.scale });
  } catch (error) {
    // A scenario that could not finish is a failure with its reason, not a crash of the runner.
    report = {
      scenario: scenario.name,
      fault: scenario.title,
      acknowledged: 0,
      stored: 0,
      lost: 0,
      duplicated: 0,
      checks: [{ what: 'the scenario ran to the end', ok: false, detail: String(error) }],
      figures: {},
      durationMs: Math.round(performance.now() - began),
    };
  }
  if (!passed(report)) failed++;
  await writeFile(join(outDir, `${scenario.name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  rows.push({ report });
  console.log(
    `  ${scenario.name}: ${passed(report) ? 'passed' : 'FAILED'} in ${(report.durationMs / 1000).toFixed(1)} s` +
      (options.keep ? ` (kept ${workDir})` : ''),
  );
  for (const check of report.checks.filter((c) => !c.ok)) {
    console.log(`    failed: ${check.what}${check.detail ? ` — ${check.detail}` : ''}`);
  }
  if (!options.keep) await rm(workDir, { recursive: true, force: true });
}

const table = summaryTable(rows);
await writeFile(
  join(outDir, 'summary.md'),
  `# Fault scenarios (${options.scale}, ${new Date().toISOString()})\n\n${table}\n`,
);
console.log(`\n${table}\n\nReports in ${outDir}`);
process.exit(failed > 0 ? 1 : 0);
