import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it, type TestContext } from 'node:test';
import { freePort } from '../../../test-support/mosquitto.js';
import {
  haveNats,
  haveNatsServer,
  NATS_SERVER,
  NATS_URL,
  removeStreamAfter,
  uniqueStream,
  untilAccepting,
} from '../../../test-support/nats.js';
import { silentLogger } from '../../shared/observability/logger.js';
import { runIngestQueueContract, type QueueOpenOptions } from './ingest-queue.contract.js';
import { JetStreamQueue } from './jetstream-queue.js';

/** Each test a stream of its own (removed afterwards), so parallel test files never share one. */
async function group(t: TestContext, options: QueueOpenOptions = {}) {
  if (!(await haveNats(t))) return undefined;
  const members: JetStreamQueue[] = [];
  t.after(async () => {
    for (const member of members) await member.close();
  });
  const stream = uniqueStream();
  removeStreamAfter(t, stream);
  return {
    member: async () => {
      const queue = await JetStreamQueue.open({
        url: NATS_URL,
        stream,
        ackWaitMs: 2000,
        log: silentLogger(),
        ...options,
      });
      members.push(queue);
      return queue;
    },
  };
}

runIngestQueueContract('NATS JetStream', group);

describe('opening the JetStream queue', () => {
  it('says which URL it cannot reach', async () => {
    const url = `nats://127.0.0.1:${await freePort()}`;
    await assert.rejects(
      JetStreamQueue.open({ url, log: silentLogger() }),
      new RegExp(`cannot reach NATS at ${url}`),
    );
  });

  it('says when the server runs without JetStream', async (t) => {
    if (!haveNatsServer(t)) return;
    const port = await freePort();
    const server = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    t.after(() => server.kill('SIGKILL'));
    const url = `nats://127.0.0.1:${port}`;
    await untilAccepting(url);
    await assert.rejects(
      JetStreamQueue.open({ url, log: silentLogger() }),
      /is not usable \(is the server run with -js\?\)/,
    );
  });
});
