import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { apiRequest, platformFetch } from '../../../test-support/api-client.js';
import { capture } from '../../../test-support/cli.js';
import { message } from '../../../test-support/messages.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
  startTestPlatform,
} from '../../../test-support/platform.js';
import { main } from '../main.js';
import { retentionCommands } from '../retention/index.js';

/** A receiver that refuses (422) the counters in `refused` and takes the rest, recording both. */
async function pickyReceiver(t: TestContext, refused: Set<number>) {
  const taken: number[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const { counter } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { counter: number };
      if (refused.has(counter)) return response.writeHead(422).end('no such product');
      taken.push(counter);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, taken };
}

interface Listed {
  total: number;
  deadLetters: {
    seq: number;
    deliveryId: string;
    status: number;
    refusals: number;
    error: string;
  }[];
}

// An integration with onRefused: dead-letter through a running platform: the receiver refuses one
// event's content, the integration parks it and delivers the rest in order; the operator lists
// it, redelivers it (refused again, then taken once the receiver is fixed), discards another,
// and finds one that retention removed since gone.
describe('a webhook integration that parks refused events', () => {
  it('goes on past a refused event, and redelivers or discards it on request', async (t) => {
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-0802');
    const refused = new Set([3]);
    const receiver = await pickyReceiver(t, refused);
    const overrides = { integrationRetryBaseMs: 20 };
    let platform = await startTestPlatform(t, data, overrides);
    const put = await apiRequest(platform, 'PUT', '/v1/integrations', {
      body: {
        integrations: [
          {
            id: 'picky',
            match: { type: ['health'] },
            sink: { kind: 'webhook', url: receiver.url },
            enabled: true,
            onRefused: 'dead-letter',
          },
        ],
      },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const cart = await connectDevice(t, platform.mqttUrl, dir);
    for (let counter = 1; counter <= 5; counter++) {
      await cart.send(message('health', 'CART-0802', counter));
    }
    await eventually(() => (receiver.taken.length === 4 ? true : undefined), 'the rest delivered');
    assert.deepEqual(receiver.taken, [1, 2, 4, 5], 'in order, past the parked one');

    const list = async () => {
      const r = await apiRequest(platform, 'GET', '/v1/integrations/picky/dead-letters');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body as unknown as Listed;
    };
    const parked = await list();
    assert.equal(parked.total, 1);
    const [letter] = parked.deadLetters;
    assert.deepEqual(
      { ...letter, seq: undefined, at: undefined },
      {
        ...{ seq: undefined, at: undefined, deliveryId: 'CART-0802:3', status: 422 },
        ...{ refusals: 3, error: 'HTTP 422' },
      },
    );
    const status = (await apiRequest(platform, 'GET', '/v1/integrations')).body['status'] as {
      deadLetters: number;
      failing: boolean;
    }[];
    assert.deepEqual(
      status.map((s) => [s.deadLetters, s.failing]),
      [[1, false]],
    );
    const metrics = await (await platformFetch(platform)(`${platform.apiUrl}/metrics`)).text();
    assert.match(
      metrics,
      /fleetplane_integration_deliveries_total\{integration="picky",outcome="dead-lettered"\} 1/,
    );
    assert.match(metrics, /fleetplane_integration_dead_letters\{integration="picky"\} 1/);

    // Redelivered while the receiver still refuses: it stays, with one more refusal.
    const path = `/v1/integrations/picky/dead-letters/${letter!.seq}`;
    const again = await apiRequest(platform, 'POST', `${path}/redeliver`);
    assert.deepEqual(again.body, { outcome: 'failed', status: 422, error: 'HTTP 422' });
    assert.equal((await list()).deadLetters[0]?.refusals, 4);

    // The receiver is fixed: the CLI redelivers it, and it leaves the list.
    refused.clear();
    const io = capture();
    const cli = ['integrations', 'dead-letters', 'picky', '--data', data];
    assert.equal(await main([...cli, '--redeliver', String(letter!.seq)], io), 0, io.stderr.join());
    assert.match(io.stdout.join('\n'), /Delivered event \d+ to picky \(HTTP 204\)/);
    assert.deepEqual(receiver.taken, [1, 2, 4, 5, 3]);
    assert.deepEqual(await list(), { total: 0, deadLetters: [] });

    // Another refused event, discarded from the CLI after it listed it.
    refused.add(6);
    refused.add(7);
    await cart.send(message('health', 'CART-0802', 6));
    await cart.send(message('health', 'CART-0802', 7));
    await eventually(async () => ((await list()).total === 2 ? true : undefined), 'two parked');
    const [seven, six] = (await list()).deadLetters;
    const listing = capture();
    assert.equal(await main(cli, listing), 0, listing.stderr.join());
    assert.match(listing.stdout.join('\n'), /CART-0802:6 .* 422 +3 +HTTP 422/);
    const discard = capture();
    assert.equal(await main([...cli, '--discard', String(six!.seq)], discard), 0);
    assert.equal(
      (await apiRequest(platform, 'DELETE', `/v1/integrations/picky/dead-letters/${six!.seq}`))
        .status,
      404,
    );
    assert.equal(
      (
        await apiRequest(
          platform,
          'POST',
          `/v1/integrations/picky/dead-letters/${six!.seq}/redeliver`,
        )
      ).status,
      404,
    );
    assert.equal(
      (await apiRequest(platform, 'GET', '/v1/integrations/none/dead-letters')).status,
      404,
    );
    const bad = capture();
    assert.equal(await main([...cli, '--discard', 'six'], bad), 2);
    assert.match(bad.stderr.join('\n'), /--discard takes the SEQ column of the list, got 'six'/);

    // Retention removes the raw event while it is parked: redelivery says it is gone.
    await platform.stop();
    const far = new Date(Date.now() + 2 * 365 * 86_400_000).toISOString();
    const ran = capture();
    const code = await main(
      ['retention', 'run', '--data', data, '--now', far],
      ran,
      retentionCommands(),
    );
    assert.equal(code, 0, ran.stderr.join('\n'));
    platform = await startTestPlatform(t, data, overrides);
    const gone = await apiRequest(
      platform,
      'POST',
      `/v1/integrations/picky/dead-letters/${seven!.seq}/redeliver`,
    );
    assert.equal(gone.status, 410, JSON.stringify(gone.body));
    assert.equal(gone.body['error'], 'event-gone');
    assert.equal(
      (await apiRequest(platform, 'DELETE', `/v1/integrations/picky/dead-letters/${seven!.seq}`))
        .status,
      204,
    );
  });
});
