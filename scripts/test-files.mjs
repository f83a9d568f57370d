// The suite's test files: every *.test.ts under the project's source roots, without engine-backed
// ones (*.engine.test.ts) when `unitOnly`, and only paths holding one of `filters` when any are
// given. Shared by the runner and the CPU profile so both see the same suite.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOTS = ['src', 'test', 'scripts', 'bench', 'web'];

export function testFiles({ unitOnly = false, filters = [] } = {}) {
  return ROOTS.flatMap((root) => {
    try {
      return readdirSync(root, { recursive: true }).map((f) => join(root, String(f)));
    } catch {
      return [];
    }
  })
    .filter((f) => f.endsWith('.test.ts'))
    .filter((f) => !unitOnly || !f.endsWith('.engine.test.ts'))
    .filter((f) => filters.length === 0 || filters.some((p) => f.includes(p)))
    .sort();
}
