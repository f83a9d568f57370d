import type { RetentionReport } from './retention-job.js';

/** The report for people: one line per kind of data, what happens to it and why. */
export function formatRetentionReport(report: RetentionReport): string[] {
  const head = report.applied
    ? `Retention run at ${report.now}:`
    : `Retention plan at ${report.now} (dry run: nothing changed; 'retention run' applies it):`;
  const width = Math.max(...report.lines.map((l) => l.what.length));
  const counts = report.lines.map((l) => l.count.toLocaleString('en-US'));
  const countWidth = Math.max(...counts.map((c) => c.length));
  const lines = report.lines.map((l, i) => {
    const verb = report.applied ? done(l.action) : l.action;
    return `  ${l.what.padEnd(width)}  ${counts[i]!.padStart(countWidth)}  ${l.count === 0 ? 'none due' : verb}  (${l.why})`;
  });
  const total = report.lines.reduce((sum, l) => sum + l.count, 0);
  return [head, ...lines, total === 0 ? 'Nothing is due.' : ''].filter((l) => l !== '');
}

function done(action: string): string {
  return action
    .replace('fold into daily aggregates, then delete', 'folded into daily aggregates and deleted')
    .replace(/^delete, behind an anchor record$/, 'deleted behind an anchor record')
    .replace(/^delete$/, 'deleted');
}
