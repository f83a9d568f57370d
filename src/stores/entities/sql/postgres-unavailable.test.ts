import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EntityFailure } from '../errors.js';
import { asUnavailable } from './postgres-unavailable.js';

function withCode(message: string, code?: string): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { code });
}

function unavailable(error: unknown): boolean {
  const mapped = asUnavailable(error, 'postgres://db:5432/fleet');
  return mapped instanceof EntityFailure && mapped.code === 'entity-store-unavailable';
}

describe('PostgreSQL errors that mean the server is unreachable', () => {
  it('are the server shutting down, restarting, refusing or dropping connections', () => {
    assert.ok(
      unavailable(withCode('terminating connection due to administrator command', '57P01')),
    );
    assert.ok(unavailable(withCode('the database system is starting up', '57P03')));
    assert.ok(unavailable(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')));
    assert.ok(unavailable(withCode('connection failure during authentication', '08006')));
    assert.ok(unavailable(withCode('Connection terminated unexpectedly')));
  });

  it('keep the server address in the message, and leave every other error as it was', () => {
    const mapped = asUnavailable(withCode('read ECONNRESET', 'ECONNRESET'), 'postgres://db/fleet');
    assert.match(
      String((mapped as Error).message),
      /postgres:\/\/db\/fleet is unreachable: read ECONNRESET/,
    );
    const constraint = withCode('duplicate key value violates unique constraint', '23505');
    assert.equal(asUnavailable(constraint, 'x'), constraint);
    const plain = new Error('Connection terminated unexpectedly, says a string in the data');
    assert.ok(unavailable(plain), 'without a code the wording is all there is');
    assert.equal(asUnavailable('not an error', 'x'), 'not an error');
  });
});
