import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capture } from '../../../test-support/cli.js';
import { UsageError } from '../command.js';
import { main } from '../main.js';
import { platformCommands } from './index.js';
import { platformConfig } from './platform-options.js';

const usage = (pattern: RegExp) => (error: unknown) =>
  error instanceof UsageError && pattern.test(error.message);

describe('the ingest queue options', () => {
  it('run without a queue unless --queue-url names one', () => {
    assert.equal(platformConfig('d', {}).queue, undefined);
    assert.deepEqual(platformConfig('d', { 'queue-url': 'nats://127.0.0.1:4222' }).queue, {
      url: 'nats://127.0.0.1:4222',
    });
    assert.deepEqual(
      platformConfig('d', { 'queue-url': 'nats://nats.internal', 'queue-stream': 'INGEST_B' })
        .queue,
      { url: 'nats://nats.internal', stream: 'INGEST_B' },
    );
  });

  it('refuse a URL that is not nats://HOST:PORT, and a stream without a URL', () => {
    for (const url of ['127.0.0.1:4222', 'http://127.0.0.1:4222', 'nats://', 'nats://h:4222/x']) {
      assert.throws(
        () => platformConfig('d', { 'queue-url': url }),
        usage(/--queue-url must look like nats:\/\/HOST:4222/),
        url,
      );
    }
    assert.throws(
      () => platformConfig('d', { 'queue-stream': 'S' }),
      usage(/--queue-stream names a stream of --queue-url/),
    );
    assert.throws(
      () => platformConfig('d', { 'queue-url': 'nats://h:4222', 'queue-stream': 'a.b' }),
      usage(/--queue-stream is letters, digits/),
    );
  });

  it('make a bad --queue-url a usage error of `fleetplane start` (exit 2) with the hint', async () => {
    const io = capture();
    const argv = ['start', '--data', 'unused', '--queue-url', 'localhost:4222'];
    assert.equal(await main(argv, io, platformCommands()), 2, io.text());
    assert.match(io.text(), /--queue-url must look like nats:\/\/HOST:4222/);
  });
});
