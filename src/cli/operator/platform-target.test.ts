import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../command.js';
import { PlatformCallFailure } from '../platform/platform-client.js';
import { openTarget } from './platform-target.js';

const refused = (values: Record<string, string>, env: Record<string, string> = {}) =>
  assert.rejects(openTarget(values, env), UsageError, JSON.stringify(values));

describe('operator CLI: finding the platform', () => {
  it('wants exactly one of --data and --url, with a token for a URL', async () => {
    await refused({});
    await refused({ data: '/d', url: 'http://127.0.0.1:1' });
    await refused({ url: 'http://127.0.0.1:1' });
    await refused({ data: '/d', token: 't' });
    await refused({ data: '/d', ca: '/ca.pem' });
    await refused({ url: 'ftp://x', token: 't' });
    await refused({ url: 'http://127.0.0.1:1', token: 't', ca: '/no/such/ca.pem' });
    await refused({}, { FLEETPLANE_URL: 'http://127.0.0.1:1' });
  });

  it('takes FLEETPLANE_URL and FLEETPLANE_TOKEN when no flag names the platform, flags first', async () => {
    const fromEnv = await openTarget(
      {},
      { FLEETPLANE_URL: 'http://127.0.0.1:1/', FLEETPLANE_TOKEN: 't' },
    );
    assert.equal(fromEnv.where, 'http://127.0.0.1:1');
    const flags = await openTarget(
      { url: 'http://127.0.0.1:2', token: 'u' },
      { FLEETPLANE_URL: 'http://127.0.0.1:1', FLEETPLANE_TOKEN: 't' },
    );
    assert.equal(flags.where, 'http://127.0.0.1:2');
  });

  it('says no platform is running on a data directory without a lock', async () => {
    await assert.rejects(
      openTarget({ data: '/nonexistent-fleet' }, {}),
      (e: unknown) =>
        e instanceof PlatformCallFailure &&
        e.code === 'platform-not-running' &&
        /no platform is running on \/nonexistent-fleet.*fleetplane start --data/.test(e.message),
    );
  });
});
