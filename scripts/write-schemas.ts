// Writes the published JSON Schemas and examples under schemas/ from src/contract, the single
// source of truth. A test fails when the files on disk differ from what this would write.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishedFiles } from '../src/contract/published-files.js';

const root = join(import.meta.dirname, '..', 'schemas');
for (const [name, content] of Object.entries(publishedFiles())) {
  const file = join(root, name);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, content);
}
console.log(`wrote ${Object.keys(publishedFiles()).length} files under schemas/`);
