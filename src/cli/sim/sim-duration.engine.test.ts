import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capture } from '../../../test-support/cli.js';
import { fleetDataDir, startTestPlatform, STORE } from '../../../test-support/platform.js';
import { main } from '../main.js';
import { parseDuration } from './duration.js';
import { simCommands } from './index.js';

describe('fleetplane sim --duration', () => {
  it('simulates the duration asked for: trips under way at the end are cut off, not finished', async (t) => {
    const data = await fleetDataDir(t);
    const platform = await startTestPlatform(t, data);
    const io = capture();
    // Customers arrive about every minute and shop for several: at the 30th minute some are
    // still shopping, whose trips ran on for up to half an hour before.
    const argv = ['sim', '--data', data, '--store', STORE, '--carts', '2', '--scenario', 'golden'];
    argv.push('--duration', '30m', '--speed', '300', '--mean-idle', '1m', '--seed', '3');
    argv.push('--mqtt', platform.mqttUrl, '--api', platform.apiUrl);
    const code = await main(argv, io, simCommands());
    const simulated = /^Simulated ([0-9a-z]+) of 2 carts/m.exec(io.text())?.[1];
    assert.ok(simulated, io.text());
    assert.ok(
      parseDuration(simulated)! <= 30 * 60_000,
      `asked for 30m, simulated ${simulated}\n${io.text()}`,
    );
    assert.equal(code, 0, io.text());
  });
});
