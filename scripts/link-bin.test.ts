import assert from 'node:assert/strict';
import { realpathSync } from 'node:fs';
import { test } from 'node:test';

test('an install links the project’s own command into node_modules/.bin, where npx looks first', () => {
  // Without it, `npx fleetplane` installs the clone into npm's npx cache and runs it from there.
  assert.equal(
    realpathSync('node_modules/.bin/fleetplane'),
    realpathSync('bin/fleetplane.js'),
    'run `npm install` (its prepare step makes the link)',
  );
});
