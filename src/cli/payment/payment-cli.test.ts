import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capture, caDataDir } from '../../../test-support/cli.js';
import { TestClock } from '../../../test-support/identity.js';
import { silentLogger } from '../../shared/observability/logger.js';
import { allCommands } from '../commands.js';
import { main } from '../main.js';
import { paymentCommands } from './index.js';

async function run(argv: string[], stopSignal = async () => 'SIGTERM') {
  const io = capture();
  const clock = new TestClock();
  const commands = paymentCommands({ now: clock.now, stopSignal, log: silentLogger });
  const code = await main(argv, io, commands);
  return { code, text: io.text() };
}

describe('fleetplane payment', () => {
  it('is part of the fleetplane CLI', () => {
    const paths = allCommands.map((c) => c.path.join(' '));
    assert.ok(paths.includes('payment init'));
    assert.ok(paths.includes('payment serve'));
  });

  it('init creates the zone, a second init keeps it, and serve listens until stopped', async (t) => {
    const data = await caDataDir(t);
    const init = await run(['payment', 'init', '--data', data]);
    assert.equal(init.code, 0, init.text);
    assert.match(init.text, /Created the payment zone in .*\/payment with its own CA\./);
    assert.match(init.text, /Issued the bridge credential \(fleetplane:payment-bridge\)/);
    const again = await run(['payment', 'init', '--data', data]);
    assert.equal(again.code, 0, again.text);
    assert.match(again.text, /^Kept the payment zone/);
    assert.doesNotMatch(again.text, /Issued/);

    const serve = await run(['payment', 'serve', '--data', data, '--port', '0']);
    assert.equal(serve.code, 0, serve.text);
    assert.match(serve.text, /^payment service listening on https:\/\/127\.0\.0\.1:[0-9]+$/m);
    assert.match(serve.text, /SIGTERM: stopping…\nStopped\.$/);
  });

  it('refuses bad flags with a usage hint, and serving a zone that does not exist', async (t) => {
    const data = await caDataDir(t);
    const port = await run(['payment', 'serve', '--data', data, '--port', 'http']);
    assert.equal(port.code, 2);
    assert.match(port.text, /--port must be a whole number/);
    assert.match(port.text, /usage: fleetplane payment serve --data DIR \[--port N\] \[--host H\]/);
    const big = await run(['payment', 'serve', '--data', data, '--port', '70000']);
    assert.equal(big.code, 2);
    const unknown = await run(['payment', 'init', '--data', data, '--force']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.text, /usage: fleetplane payment init --data DIR/);
    const missing = await run(['payment', 'serve']);
    assert.equal(missing.code, 2);
    assert.match(missing.text, /--data is required/);
    const uninitialised = await run(['payment', 'serve', '--data', data]);
    assert.equal(uninitialised.code, 1);
    assert.match(uninitialised.text, /run 'fleetplane payment init.*\[zone-not-initialised\]/);
  });
});
