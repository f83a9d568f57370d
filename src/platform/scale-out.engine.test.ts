import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import pg from 'pg';
import { loadFleetCa, openIdentity } from '../edge/identity/index.js';
import { writeMosquittoConfig } from '../edge/broker/mosquitto-config.js';
import { DynamoDbTelemetryStore } from '../stores/telemetry/dynamodb/dynamodb-telemetry-store.js';
import { message } from '../../test-support/messages.js';
import { freePort, haveMosquitto, startMosquitto } from '../../test-support/mosquitto.js';
import { haveNats, NATS_URL, removeStreamAfter, uniqueStream } from '../../test-support/nats.js';
import { postgresSchema, POSTGRES_URL } from '../../test-support/postgres.js';
import { startDynalite, startS3rver } from '../../test-support/local-aws.js';
import { composeProcesses, localArgs } from '../../test-support/compose-layout.js';
import { spawnFleetplane, type SpawnedCli } from '../../test-support/spawn-cli.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
} from '../../test-support/platform.js';
import { platformLayout } from './platform-layout.js';

/** A database of the test's own on the PostgreSQL server, dropped when the test ends. */
async function ownDatabase(t: TestContext): Promise<string | undefined> {
  // postgresSchema skips (or fails, engines required) when the server does not answer.
  if (!(await postgresSchema(t))) return undefined;
  const name = `fp_scale_${randomBytes(5).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`CREATE DATABASE ${name}`);
  t.after(() => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

function started(t: TestContext, args: readonly string[]): SpawnedCli {
  const child = spawnFleetplane(args);
  t.after(() => child.stop());
  return child;
}

function getJson(url: string, ca?: Buffer): Promise<{ status: number; body: unknown }> {
  const get = url.startsWith('https:') ? request : undefined;
  return get
    ? new Promise((resolve, reject) => {
        const req = get(url, { ca }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        });
        req.on('error', reject);
        req.end();
      })
    : fetch(url).then(async (res) => ({ status: res.status, body: await res.json() }));
}

// deploy/compose/compose.yaml's api and ingest services, started with their own flags on this
// machine: its own Mosquitto (the generated mutual-TLS configuration), NATS with a stream of its
// own, PostgreSQL with a database of its own, dynalite for DynamoDB and s3rver for S3.
describe('the self-hosted scale-out layout, without containers', () => {
  it('stores every acknowledged message once, and both ingest processes take a share', async (t) => {
    if (!haveMosquitto(t) || !(await haveNats(t))) return;
    const database = await ownDatabase(t);
    if (!database) return;
    const data = await fleetDataDir(t);
    const serials = ['CART-0601', 'CART-0602', 'CART-0603'];
    const dirs = await Promise.all(serials.map((s) => provisionDevice(data, s)));
    // The compose file's init service: the Mosquitto configuration in the shared directory.
    const port = await freePort();
    const identity = openIdentity(data);
    const files = await writeMosquittoConfig(
      identity.layout,
      platformLayout(data),
      await loadFleetCa(identity.layout),
      {
        ...{ outDir: join(data, 'mosquitto'), port, hostnames: ['127.0.0.1'] },
        ...{ now: new Date(), runAsUser: 'root' },
      },
    );
    await startMosquitto(t, files.config, port);
    const dynamo = await startDynalite(t);
    const s3 = await startS3rver(t);
    const stream = uniqueStream();
    removeStreamAfter(t, stream);

    const processes = await composeProcesses();
    assert.deepEqual(
      processes.map((p) => [p.service, p.replicas]),
      [
        ['api', 1],
        ['ingest', 2],
      ],
    );
    const local = (args: readonly string[]) => [
      ...localArgs(
        args,
        {
          'mosquitto:8883': `127.0.0.1:${port}`,
          'nats://nats:4222': NATS_URL,
          'postgres://fleetplane:fleetplane-change-me@postgres:5432/fleetplane': database,
          'dynamodb:8000': new URL(dynamo.endpoint).host,
          'http://minio:9000': s3.endpoint,
        },
        { '/fleet': data, mosquitto: '127.0.0.1', '0.0.0.0': '127.0.0.1' },
      ),
      ...['--queue-stream', stream, '--verify-threads', '1'],
    ];
    const [api, ingest] = processes as [(typeof processes)[0], (typeof processes)[0]];
    // As compose orders them: the API process first (it creates the table and the ingest
    // certificate), the ingest processes once it is healthy.
    const apiProcess = started(t, local(api.args));
    const apiUrl = (await apiProcess.waitFor(/API\s+(https:\S+)/))[1]!;
    const trust = await readFile(identity.layout.trustBundle);
    assert.equal((await getJson(`${apiUrl}/healthz`, trust)).status, 200);
    const healthUrls = await Promise.all(
      Array.from({ length: ingest.replicas }, async () => {
        const child = started(t, local(ingest.args));
        return (await child.waitFor(/health\s+(http:\S+)/))[1]!;
      }),
    );

    const url = `mqtts://127.0.0.1:${port}`;
    const carts = await Promise.all(dirs.map((dir) => connectDevice(t, url, dir)));
    const perCart = 60;
    await Promise.all(
      carts.map(async (cart, i) => {
        for (let counter = 1; counter <= perCart; counter++) {
          await cart.send(message('health', serials[i]!, counter));
        }
        // Sent again: whichever process takes the repeat, the shared store keeps one.
        for (let counter = 1; counter <= 10; counter++) {
          await cart.send(message('health', serials[i]!, counter));
        }
      }),
    );

    const telemetry = await DynamoDbTelemetryStore.open({
      endpoint: dynamo.endpoint,
      table: 'telemetry',
    });
    t.after(() => telemetry.close());
    for (const serial of serials) {
      const counters = await eventually(async () => {
        const events = await telemetry.latestForDevice(serial, { limit: 1000 });
        return events.length >= perCart ? events.map((e) => e.counter) : undefined;
      }, `${serial}'s ${perCart} messages stored`);
      assert.equal(counters.length, perCart, `${serial}: each message stored once`);
      assert.deepEqual(
        [...counters].sort((a, b) => a - b),
        Array.from({ length: perCart }, (_, i) => i + 1),
      );
    }
    const shares = await Promise.all(
      healthUrls.map(async (health) => {
        const { status, body } = await getJson(health);
        assert.equal(status, 200);
        return (body as { messages: { taken: number } }).messages.taken;
      }),
    );
    assert.ok(
      shares.every((n) => n > 0),
      `each ingest process took a share: ${shares.join(', ')}`,
    );
    assert.equal(
      shares.reduce((a, b) => a + b, 0),
      serials.length * (perCart + 10),
      'every message (repeats too) went to one ingest process',
    );
  });
});
