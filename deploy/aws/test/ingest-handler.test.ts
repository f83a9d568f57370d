import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, describe, it, type TestContext } from 'node:test';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { encodeSigned, signBody, topicFor } from '../../../src/contract/index.js';
import { DynamoDbTelemetryStore } from '../../../src/stores/telemetry/dynamodb/dynamodb-telemetry-store.js';
import { startDynalite } from '../../../test-support/local-aws.js';
import { message } from '../../../test-support/messages.js';
import { DEVICE_ITEM } from '../lambda/device-item.js';
import { INGEST_ENV } from '../lambda/ingest-env.js';
import { bundleIngest } from '../lib/ingest-bundle.js';

type Handler = (event: unknown) => Promise<{ status: string; reason?: string }>;

const DEVICE = 'CART-0001';
const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const spki = keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
let bundle: string;

before(() => {
  const started = performance.now();
  bundle = join(bundleIngest(mkdtempSync(join(tmpdir(), 'fleetplane-ingest-'))), 'index.mjs');
  console.log(
    `bundle: ${Math.round(statSync(bundle).size / 1024)} KiB in ${Math.round(performance.now() - started)} ms`,
  );
});

/** What IoT Core's data plane was asked to publish: the device error topic's answers. */
async function fakeIotData(
  t: TestContext,
): Promise<{ published: { topic: string; body: unknown }[] }> {
  const published: { topic: string; body: unknown }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const topic = decodeURIComponent(
        new URL(req.url!, 'http://x').pathname.replace(/^\/topics\//, ''),
      );
      published.push({ topic, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  process.env['AWS_ENDPOINT_URL_IOT_DATA_PLANE'] =
    `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { published };
}

/** The bundled handler, as Lambda loads it, against dynalite with the stack's two tables. */
async function deployedHandler(t: TestContext) {
  const { endpoint } = await startDynalite(t);
  const iot = await fakeIotData(t);
  process.env['AWS_ENDPOINT_URL_DYNAMODB'] = endpoint;
  process.env[INGEST_ENV.telemetryTable] = 'telemetry';
  process.env[INGEST_ENV.deviceTable] = 'devices';
  // The stack creates the tables; here the adapter creates the telemetry table from the same design.
  const telemetry = await DynamoDbTelemetryStore.open({ endpoint, table: 'telemetry' });
  t.after(() => telemetry.close());
  const client = new DynamoDBClient({ endpoint });
  t.after(() => client.destroy());
  await client.send(
    new CreateTableCommand({
      TableName: 'devices',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: DEVICE_ITEM.key, AttributeType: 'S' }],
      KeySchema: [{ AttributeName: DEVICE_ITEM.key, KeyType: 'HASH' }],
    }),
  );
  await client.send(
    new PutItemCommand({
      TableName: 'devices',
      Item: {
        [DEVICE_ITEM.key]: { S: DEVICE },
        [DEVICE_ITEM.store]: { S: 'STORE-01' },
        [DEVICE_ITEM.deviceClass]: { S: 'cart' },
        [DEVICE_ITEM.publicKeys]: { L: [{ S: spki }] },
      },
    }),
  );
  // A fresh module instance per test: the handler keeps its pipeline for the warm instance.
  const url = `${pathToFileURL(bundle).href}?${Math.random()}`;
  const { handler } = (await import(url)) as { handler: Handler };
  return { handler, telemetry, iot };
}

/** The event the topic rule's SELECT makes of a publish. */
function ruleEvent(deviceId: string, counter: number) {
  const payload = encodeSigned(message('scan', deviceId, counter), (b) =>
    signBody(b, keys.privateKey),
  );
  return {
    topic: topicFor('cart', deviceId, 'scan'),
    payload: Buffer.from(payload).toString('base64'),
    receivedAt: Date.now(),
  };
}

describe('the bundled ingest function', { concurrency: false }, () => {
  it('stores a signed message once and answers its repeat as a replay on the error topic', async (t) => {
    const { handler, telemetry, iot } = await deployedHandler(t);
    assert.equal((await handler(ruleEvent(DEVICE, 1))).status, 'stored');
    assert.equal((await handler(ruleEvent(DEVICE, 1))).status, 'duplicate');
    assert.equal(await telemetry.count(), 1);
    const [latest] = await telemetry.latestForDevice(DEVICE, { limit: 1 });
    assert.equal(latest?.storeId, 'STORE-01');
    assert.deepEqual(
      iot.published.map((p) => [p.topic, (p.body as { reason: string }).reason]),
      [[`devices/errors/${DEVICE}`, 'replay']],
    );
  });

  it('rejects a device the registry does not know, and stores nothing', async (t) => {
    const { handler, telemetry, iot } = await deployedHandler(t);
    const outcome = await handler(ruleEvent('CART-0404', 1));
    assert.deepEqual([outcome.status, outcome.reason], ['rejected', 'unknown-device']);
    assert.equal(await telemetry.count(), 0);
    assert.equal(iot.published[0]?.topic, 'devices/errors/CART-0404');
  });

  it('rejects a message whose signature is not the registered key', async (t) => {
    const { handler } = await deployedHandler(t);
    const event = ruleEvent(DEVICE, 2);
    const bytes = Buffer.from(event.payload, 'base64');
    bytes[bytes.length - 1]! ^= 0xff;
    const outcome = await handler({ ...event, payload: bytes.toString('base64') });
    assert.deepEqual([outcome.status, outcome.reason], ['rejected', 'signature']);
  });

  it('fails, for Lambda to retry and dead-letter, on an event that is not the rule’s', async (t) => {
    const { handler } = await deployedHandler(t);
    await assert.rejects(
      handler({ topic: 'dt/cart/CART-0001/scan', payload: 42 }),
      /payload \(base64\), receivedAt/,
    );
  });
});

process.on('exit', () => bundle && rmSync(join(bundle, '..'), { recursive: true, force: true }));
