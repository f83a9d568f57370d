import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const root = new URL('../../', import.meta.url);
const doc = readFileSync(new URL('docs/security.md', root), 'utf8');

/** The table rows of the controls sections (everything before the gaps). */
const controls = doc
  .split('## Not yet controlled')[0]!
  .split('\n')
  .filter(
    (line) => line.startsWith('| ') && !line.startsWith('| Threat') && !/^[|\s-]+$/.test(line),
  );

/** `file` "title" pairs in a row's test cell. */
function citedTests(row: string): { file: string; title: string }[] {
  const cell = row.split(' | ').at(-1)!;
  return [...cell.matchAll(/`([^`]+\.(?:test|contract)\.ts)` "([^"]+)"/g)].map((m) => ({
    file: m[1]!,
    title: m[2]!,
  }));
}

describe('docs/security.md', () => {
  it('has controls for each STRIDE category', () => {
    for (const heading of [
      'Spoofing',
      'Tampering',
      'Repudiation',
      'Information disclosure',
      'Denial of service',
      'Elevation of privilege',
    ]) {
      assert.match(doc, new RegExp(`^## ${heading}`, 'm'), heading);
    }
    assert.ok(controls.length >= 30, `only ${controls.length} controls`);
  });

  it('names at least one test for every control, and each named test exists with that title', () => {
    const problems: string[] = [];
    for (const row of controls) {
      const cited = citedTests(row);
      if (cited.length === 0) problems.push(`no test named: ${row.slice(0, 80)}`);
      for (const { file, title } of cited) {
        const url = new URL(file, root);
        if (!existsSync(url)) {
          problems.push(`${file}: no such file`);
          continue;
        }
        if (!readFileSync(url, 'utf8').includes(title))
          problems.push(`${file}: no test "${title}"`);
      }
    }
    assert.deepEqual(problems, []);
  });
});
