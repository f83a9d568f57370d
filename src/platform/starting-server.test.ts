import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { it } from 'node:test';
import { serveWhileStarting } from './starting-server.js';

const api = { host: '127.0.0.1', port: 0 };

it('answers /healthz with the step under way and everything else with 503, then hands its port over', async (t) => {
  const told: string[] = [];
  const starting = await serveWhileStarting(api, {}, (step) => told.push(step));
  t.after(() => starting.close());
  const url = `http://127.0.0.1:${starting.port}`;

  const first = await fetch(`${url}/healthz`);
  assert.equal(first.status, 503);
  assert.deepEqual(await first.json(), { status: 'starting', step: 'opening the stores' });

  starting.progress('opening the entity store');
  assert.deepEqual(told, ['opening the entity store'], 'the caller hears each step too');
  const health = await fetch(`${url}/healthz?verbose=1`);
  assert.deepEqual(await health.json(), { status: 'starting', step: 'opening the entity store' });

  const other = await fetch(`${url}/v1/devices`);
  assert.equal(other.status, 503);
  assert.equal(other.headers.get('retry-after'), '2');
  assert.equal(((await other.json()) as { error: string }).error, 'starting');

  const real = createServer((_, response) => response.end('ready'));
  t.after(() => new Promise((resolve) => real.close(resolve)));
  const port = await starting.handOver(
    (port) => new Promise<number>((resolve) => real.listen(port, '127.0.0.1', () => resolve(port))),
  );
  assert.equal(port, starting.port, 'the real server listens on the same port');
  assert.equal(await (await fetch(`${url}/healthz`)).text(), 'ready');
});
