import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UUID_PATTERN } from '../../contract/index.js';
import { commandIdFor } from './command-id.js';

describe('commandIdFor', () => {
  const session = 'e0c7a1d2-3b4c-4d5e-9f60-718293a4b5c6';

  it('gives the same id for the same session and cause, and a valid version-5 UUID', () => {
    const id = commandIdFor(session, 'identify/12');
    assert.equal(commandIdFor(session, 'identify/12'), id);
    assert.match(id, new RegExp(UUID_PATTERN));
    assert.equal(id[14], '5');
  });

  it('gives different ids for different causes or sessions', () => {
    const ids = new Set([
      commandIdFor(session, 'identify/12'),
      commandIdFor(session, 'identify/13'),
      commandIdFor(session, 'carry/1c9b3f0e-7a2d-4e8f-b1c6-5d4a3b2c1e0f'),
      commandIdFor('1c9b3f0e-7a2d-4e8f-b1c6-5d4a3b2c1e0f', 'identify/12'),
    ]);
    assert.equal(ids.size, 4);
  });
});
