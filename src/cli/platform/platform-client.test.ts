import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { it } from 'node:test';
import { freePort } from '../../../test-support/mosquitto.js';
import { tempDir } from '../../../test-support/temp-dir.js';
import { PlatformCallFailure, callPlatform } from './platform-client.js';

it('a lock whose platform no longer answers is one sentence saying so, not an internal error', async (t) => {
  const dir = await tempDir(t);
  const url = `http://127.0.0.1:${await freePort()}`;
  // What a platform killed with SIGKILL leaves: a lock naming an address nobody listens on.
  await writeFile(join(dir, 'platform.lock'), JSON.stringify({ pid: process.pid, apiUrl: url }));
  await assert.rejects(
    callPlatform(dir, 'GET', '/v1/dead-letters'),
    (e: unknown) =>
      e instanceof PlatformCallFailure &&
      e.code === 'platform-not-running' &&
      e.message.startsWith(`the platform on ${dir} does not answer at ${url} (`) &&
      e.message.endsWith(`start it (fleetplane start --data ${dir}) and try again`),
  );
});
