import type { Rubric } from './rubric/index.js';
import { BUCKETS } from './rubric/index.js';

/**
 * The kept-columns report auditors asked for: which columns are kept unmasked and the reason the
 * rubric gives, then every other column with its bucket and treatment. Markdown, for review in
 * a pull request beside the rubric change.
 */
export function keptColumnsReport(rubric: Rubric): string {
  const kept = [...rubric.columns].filter(([, s]) => s.treatment === 'keep');
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
  const lines = [
    `# Kept columns: ${rubric.name} rubric, version ${rubric.version}`,
    '',
    `Rubric file sha256 \`${rubric.sha256}\`. Columns in the behavioral bucket leave the platform`,
    'unmasked; each is kept only because the rubric lists it, for the reason below.',
    '',
    '| column | reason it is kept |',
    '| --- | --- |',
    ...kept.map(([name, s]) => `| \`${name}\` | ${cell(s.treatment === 'keep' ? s.reason : '')} |`),
    ...(kept.length === 0 ? ['| (none) | |'] : []),
    '',
    '## Every other column',
    '',
    '| column | bucket | treatment |',
    '| --- | --- | --- |',
  ];
  for (const bucket of BUCKETS) {
    for (const [name, s] of rubric.columns) {
      if (s.bucket !== bucket || s.treatment === 'keep') continue;
      const params = Object.entries(s)
        .filter(([k]) => !['bucket', 'treatment', 'note', 'reason'].includes(k))
        .map(([k, v]) => `${k} ${String(v)}`)
        .join(', ');
      const why = s.treatment === 'drop' ? ` (${cell(s.reason)})` : '';
      lines.push(
        `| \`${name}\` | ${bucket} | ${s.treatment}${params ? ` (${params})` : ''}${why} |`,
      );
    }
  }
  const counts = BUCKETS.map(
    (b) => `${b} ${[...rubric.columns.values()].filter((s) => s.bucket === b).length}`,
  );
  lines.push('', `Columns per bucket: ${counts.join(', ')}.`, '');
  return lines.join('\n');
}
