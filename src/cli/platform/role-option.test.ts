import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../command.js';
import { platformConfig } from './platform-options.js';

const usage = (pattern: RegExp) => (error: unknown) =>
  error instanceof UsageError && pattern.test(error.message);
const broker = { 'broker-url': 'mqtts://mosquitto:8883' };

describe('the --role option (decision 059)', () => {
  it('runs everything in one process unless told otherwise', () => {
    assert.equal(platformConfig('d', {}).role, undefined);
    assert.equal(platformConfig('d', { role: 'all' }).role, 'all');
  });

  it('splits api and ingest over processes that share an external broker', () => {
    assert.equal(platformConfig('d', { ...broker, role: 'api' }).role, 'api');
    assert.equal(platformConfig('d', { ...broker, role: 'ingest' }).role, 'ingest');
    assert.throws(
      () => platformConfig('d', { role: 'ingest' }),
      usage(/--role ingest .*--broker-url/),
    );
  });

  it('names the roles when given another', () => {
    assert.throws(
      () => platformConfig('d', { ...broker, role: 'worker' }),
      usage(/--role must be one of all, api, ingest, got 'worker'/),
    );
  });
});
