import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readPlatformLock } from '../../data-dir/platform-lock.js';
import { main } from '../main.js';
import { capture } from '../../../test-support/cli.js';
import { fleetDataDir } from '../../../test-support/platform.js';
import { platformCommands } from './index.js';
import { platformApi } from './platform-client.js';

async function run(argv: string[], stopSignal?: () => Promise<string>) {
  const io = capture();
  const code = await main(argv, io, platformCommands(stopSignal ? { stopSignal } : {}));
  return { code, io };
}

describe('fleetplane start and token', () => {
  it('starts, says where things are, answers with a CLI-issued token, and stops on the signal', async (t) => {
    const data = await fleetDataDir(t);
    let answered = 0;
    const { code, io } = await run(
      ['start', '--data', data, '--mqtt-port', '0', '--api-port', '0', '--device-port', '0'],
      async () => {
        const lock = await readPlatformLock(data);
        assert.ok(lock?.apiUrl, 'the running platform announces its API in the lock');
        assert.match(lock.deviceApiUrl ?? '', /^https:\/\/localhost:[0-9]+$/, 'and its device API');
        const token = await run(['token', '--data', data, '--role', 'ops']);
        assert.equal(token.code, 0, token.io.text());
        const bearer = token.io.stdout.at(-1)!;
        assert.match(
          bearer,
          /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/,
          'the token alone on the last line',
        );
        assert.match(lock.apiUrl, /^https:\/\/localhost:[0-9]+$/, 'HTTPS by default');
        assert.equal(lock.apiCaFile, join(data, 'ca', 'trust-bundle.pem'), 'trusting the fleet CA');
        const api = await platformApi(data);
        const ok = await api.fetch(`${api.url}/v1/stores/berlin-1/devices`, {
          headers: { authorization: `Bearer ${bearer}` },
        });
        assert.equal(ok.status, 200);
        answered++;
        const second = await run([
          'start',
          '--data',
          data,
          '--mqtt-port',
          '0',
          '--api-port',
          '0',
          '--device-port',
          '0',
        ]);
        assert.equal(second.code, 1);
        assert.match(
          second.io.text(),
          /already running on this data directory.*\[platform-running\]/,
        );
        return 'SIGINT';
      },
    );
    assert.equal(code, 0, io.text());
    assert.equal(answered, 1);
    assert.match(io.text(), /MQTT {8}mqtts:\/\/localhost:[0-9]+/);
    assert.match(io.text(), /device API {2}https:\/\/localhost:[0-9]+/);
    assert.match(io.text(), /API {9}https:\/\/localhost:[0-9]+/);
    assert.match(io.text(), /clients trust .*trust-bundle\.pem/);
    assert.match(io.text(), /SIGINT: stopping…\nStopped\./);
    assert.equal(await readPlatformLock(data), undefined, 'the lock is released');
  });

  it('refuses bad token requests with a usage hint', async (t) => {
    const data = await fleetDataDir(t);
    const bad = await run(['token', '--data', data, '--role', 'admin']);
    assert.equal(bad.code, 2);
    assert.match(bad.io.text(), /--role must be one of ops, staff, customer, privacy/);
    const staff = await run(['token', '--data', data, '--role', 'staff']);
    assert.equal(staff.code, 2);
    assert.match(staff.io.text(), /bound to a store/);
    const unknownStore = await run([
      'token',
      '--data',
      data,
      '--role',
      'staff',
      '--store',
      'nowhere',
    ]);
    assert.equal(unknownStore.code, 1);
    const ttl = await run(['token', '--data', data, '--role', 'ops', '--ttl', 'forever']);
    assert.equal(ttl.code, 2);
    assert.match(ttl.io.text(), /--ttl must look like/);
  });
});
