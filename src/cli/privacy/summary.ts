import { basename } from 'node:path';
import {
  BUCKETS,
  findingsPath,
  sidecarPath,
  type RunRecord,
  type VerifyResult,
} from '../../domain/privacy/masking/index.js';

/** The end-of-run summary: rows, columns per bucket, findings by type, where the records are. */
export function runSummary(record: RunRecord, outputPath: string): string[] {
  const verb = record.kind === 'remask' ? 'Re-masked' : 'Masked';
  const lines = [
    `${verb} ${record.rows} rows from ${record.input} to ${record.output} (rubric ${record.rubric.name}@${record.rubric.version}, domain ${record.domain}, salt ${record.salt.id}, run ${record.run})`,
    '  columns per bucket:',
  ];
  for (const bucket of BUCKETS) {
    const cols = record.columns.filter((c) => c.bucket === bucket);
    if (cols.length === 0) continue;
    const names = cols.map((c) =>
      c.action && c.action !== 'applied' ? `${c.column} [${c.action}]` : c.column,
    );
    lines.push(`    ${bucket.padEnd(18)} ${cols.length}  ${names.join(', ')}`);
  }
  const findings = Object.entries(record.findings);
  lines.push(
    `  findings in free text: ${findings.length === 0 ? 'none' : findings.map(([t, n]) => `${t} ${n}`).join(', ')}`,
  );
  if (record.absentColumns.length > 0) {
    lines.push(`  rubric columns not in the input: ${record.absentColumns.join(', ')}`);
  }
  lines.push(
    `  decision record: ${basename(sidecarPath(outputPath))} and the ${'_mask'} column of every row; findings log: ${basename(findingsPath(outputPath))}`,
  );
  return lines;
}

export function verifySummary(result: VerifyResult, rubric: string, input: string): string[] {
  if (result.ok) {
    return [
      `verify: OK, ${result.rows} rows of ${basename(input)} hold every invariant of ${rubric}`,
    ];
  }
  const counts = Object.entries(result.counts)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return [
    `verify: DRIFT in ${basename(input)} (${result.rows} rows) against ${rubric}: ${counts}`,
    ...result.examples.map(
      (d) => `  line ${d.line}${d.column ? ` column ${d.column}` : ''}: ${d.kind}`,
    ),
  ];
}
