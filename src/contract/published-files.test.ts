import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { publishedFiles } from './published-files.js';

const root = new URL('../../schemas/', import.meta.url);
const files = publishedFiles();

describe('schemas/ published for firmware teams', () => {
  it('matches the contract source exactly (run `npm run schemas` after changing src/contract)', () => {
    for (const [name, content] of Object.entries(files)) {
      assert.equal(readFileSync(new URL(name, root), 'utf8'), content, `schemas/${name} is stale`);
    }
    const onDisk = readdirSync(root).filter((f) => f.endsWith('.schema.json'));
    assert.deepEqual(
      onDisk.sort(),
      Object.keys(files)
        .filter((f) => !f.includes('/'))
        .sort(),
    );
  });

  it('are standard draft-07 schemas: a second validator (Ajv, strict) compiles them and agrees on the examples', () => {
    const ajv = new Ajv.default({ strict: true, allErrors: false });
    for (const name of Object.keys(files).filter((f) => f.endsWith('.schema.json'))) {
      const validate = ajv.compile(JSON.parse(files[name]!));
      const example = JSON.parse(files[`examples/${name.replace('.schema.json', '.json')}`]!);
      assert.equal(validate(example), true, `${name}: ${JSON.stringify(validate.errors)}`);
      assert.equal(validate({ ...example, unexpected_field: true }), false, name);
    }
  });
});
