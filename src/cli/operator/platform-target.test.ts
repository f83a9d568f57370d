import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test-support/temp-dir.js';
import { UsageError } from '../command.js';
import { PlatformCallFailure } from '../platform/platform-client.js';
import { freePort } from '../../../test-support/mosquitto.js';
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

  it('says nothing answers at a URL where no platform listens', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const target = await openTarget({ url, token: 't' }, {});
    await assert.rejects(
      target.request('GET', '/v1/stores'),
      (e: unknown) =>
        e instanceof PlatformCallFailure &&
        e.code === 'platform-not-running' &&
        e.message.startsWith(`nothing answers at ${url} (`),
    );
  });

  it('says the platform on a data directory does not answer when its lock names a dead address', async (t) => {
    const dir = await tempDir(t);
    const url = `http://127.0.0.1:${await freePort()}`;
    // A live pid (this one) whose API is gone: a platform hung or between listen and lock update.
    await writeFile(join(dir, 'platform.lock'), JSON.stringify({ pid: process.pid, apiUrl: url }));
    const target = await openTarget({ data: dir }, {});
    await assert.rejects(
      target.request('GET', '/v1/stores'),
      (e: unknown) =>
        e instanceof PlatformCallFailure &&
        e.code === 'platform-not-running' &&
        e.message.startsWith(
          `the platform on ${dir} does not answer at ${url}; start it (fleetplane start --data ${dir})`,
        ),
    );
  });
});
