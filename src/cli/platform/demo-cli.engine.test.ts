import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capture } from '../../../test-support/cli.js';
import { fleetDataDir } from '../../../test-support/platform.js';
import { main } from '../main.js';
import { platformCommands } from './index.js';

describe('fleetplane demo', () => {
  it('runs the cart model against the embedded platform and the platform holds what the carts sent', async (t) => {
    const data = await fleetDataDir(t);
    const io = capture();
    const code = await main(
      [
        'demo',
        '--data',
        data,
        '--carts',
        '2',
        '--seconds',
        '6',
        '--mqtt-port',
        '0',
        '--api-port',
        '0',
        '--device-port',
        '0',
      ],
      io,
      platformCommands(),
    );
    assert.equal(code, 0, io.text());
    assert.match(io.text(), /export TOKEN=/);
    // Plain HTTP on loopback by default: a fresh browser opens it without a certificate warning.
    assert.match(io.text(), /API {9}http:\/\/localhost:[0-9]+/);
    assert.match(io.text(), /curl -s -H "Authorization: Bearer \$TOKEN" http:\/\/localhost:/);
    for (const role of ['ops', 'staff', 'customer']) {
      const link = new RegExp(
        `^  ${role} +http://localhost:[0-9]+/signin#link=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`,
        'm',
      );
      assert.match(io.text(), link, `a sign-in link for ${role}`);
    }
    // How much the carts shop in a few seconds depends on the machine's load; that they booted,
    // sent signed messages and the platform holds exactly what they sent does not.
    assert.match(io.text(), /Simulated .* of 2 carts/);
    assert.match(io.text(), /messages [1-9][0-9]* created, [1-9][0-9]* delivered/);
    assert.match(io.text(), /Invariants hold for [0-9]+ sessions/);
  });
});
