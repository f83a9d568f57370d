import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { entityTag, matchesIfNoneMatch } from './entity-tag.js';

describe('If-None-Match', () => {
  it('matches the version as a strong or weak tag, in a list, or *', () => {
    assert.equal(entityTag('abc'), '"abc"');
    assert.equal(matchesIfNoneMatch('"abc"', 'abc'), true);
    assert.equal(matchesIfNoneMatch('W/"abc"', 'abc'), true);
    assert.equal(matchesIfNoneMatch('"old", "abc"', 'abc'), true);
    assert.equal(matchesIfNoneMatch('*', 'abc'), true);
  });

  it('does not match another version, an unquoted one, or no header', () => {
    assert.equal(matchesIfNoneMatch('"abd"', 'abc'), false);
    assert.equal(matchesIfNoneMatch('abc', 'abc'), false);
    assert.equal(matchesIfNoneMatch(undefined, 'abc'), false);
  });
});
