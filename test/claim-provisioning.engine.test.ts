import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import {
  DEVICE_API_PATHS,
  claimClientId,
  claimTopics,
  topicFor,
  type ClaimResponse,
} from '../src/contract/index.js';
import { ClaimRefused, claimCertificate } from '../src/device/claim/claim-client.js';
import { loadClaimDir, type ClaimCredentials } from '../src/device/claim/claim-dir.js';
import { DeviceLink, loadProvisionedDevice } from '../src/device/link/device-link.js';
import { SoftwareKeystore } from '../src/device/secure-element/software-keystore.js';
import { createClaim, openIdentity } from '../src/edge/identity/index.js';
import { deviceCommands } from '../src/cli/device/index.js';
import { main } from '../src/cli/main.js';
import { capture } from '../test-support/cli.js';
import { deviceRequest } from '../test-support/device-https.js';
import { message } from '../test-support/messages.js';
import { eventually, runCli, STORE, suitePlatform } from '../test-support/platform.js';

// Claim provisioning (decision 044) against the embedded broker of a running platform, over real
// mutual TLS: the claim certificate is good for one request and nothing else.
describe('claim provisioning over MQTT', () => {
  const suite = suitePlatform(async (data) => {
    await runCli(
      ...['provision', 'claim', 'create', '--data', data, '--template', 'coldchain-line'],
      ...['--store', STORE, '--class', 'coldchain', '--serial-pattern', 'CC-[0-9]{4}'],
      ...['--out', join(data, 'claims', 'line')],
    );
    await runCli(
      ...['provision', 'claim', 'create', '--data', data, '--template', 'second-line'],
      ...['--store', STORE, '--class', 'coldchain', '--out', join(data, 'claims', 'second')],
    );
  });
  const claimDir = (name: string) => join(suite().data, 'claims', name);
  const deviceDir = (name: string) => join(suite().data, 'claimed', name);
  const claim = (name: string) => loadClaimDir(claimDir(name));

  async function claimAs(serial: string, out: string, claimName = 'line') {
    return claimCertificate({
      url: suite().platform.mqttUrl,
      claim: await claim(claimName),
      serial,
      out,
      timeoutMs: 10_000,
    });
  }

  async function refusal(promise: Promise<unknown>): Promise<string> {
    const error = await promise.then(
      () => assert.fail('the claim was not refused'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ClaimRefused, String(error));
    return error.reason;
  }

  /** A raw MQTT 5 connection with a claim certificate, to try what the policy forbids. */
  async function claimConnection(
    t: TestContext,
    credentials: ClaimCredentials,
    clientId: string,
  ): Promise<MqttClient> {
    const client = mqtt.connect(suite().platform.mqttUrl, {
      clientId,
      protocolVersion: 5,
      key: credentials.keyPem,
      cert: credentials.certChainPem,
      ca: credentials.trustPem,
      reconnectPeriod: 0,
      connectTimeout: 5000,
    });
    t.after(() => client.endAsync(true));
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
      client.once('close', () => reject(new Error('closed before CONNACK')));
    });
    return client;
  }

  async function connectRefused(
    credentials: ClaimCredentials,
    clientId: string,
    options: mqtt.IClientOptions = {},
  ): Promise<string> {
    const client = mqtt.connect(suite().platform.mqttUrl, {
      ...options,
      clientId,
      protocolVersion: 5,
      key: credentials.keyPem,
      cert: credentials.certChainPem,
      ca: credentials.trustPem,
      reconnectPeriod: 0,
      connectTimeout: 5000,
    });
    try {
      return await new Promise<string>((resolve) => {
        client.once('connect', () => resolve('admitted'));
        client.once('error', (e: Error & { code?: unknown }) =>
          resolve(String(e.code ?? e.message)),
        );
        client.once('close', () => resolve('closed'));
      });
    } finally {
      await client.endAsync(true);
    }
  }

  const forbidden = async (action: string) =>
    Number(
      new RegExp(`fleetplane_broker_forbidden_total\\{action="${action}"\\} (\\d+)`).exec(
        await suite().platform.metrics.text(),
      )?.[1] ?? 0,
    );

  it('lets a device claim its certificate, then connect with it and have its telemetry stored', async (t) => {
    const out = deviceDir('CC-0001');
    const claimed = await claimAs('CC-0001', out);
    assert.deepEqual(claimed, { serial: 'CC-0001', deviceClass: 'coldchain', storeId: STORE });

    const device = await loadProvisionedDevice(out);
    assert.equal(device.deviceClass, 'coldchain');
    const link = await DeviceLink.connect(suite().platform.mqttUrl, device, { clean: true });
    t.after(() => link.client.endAsync(true));
    await link.send(message('coldchain-telemetry', 'CC-0001', 1));
    const stored = await eventually(async () => {
      const events = await suite().platform.telemetry.latestForDevice('CC-0001', { limit: 5 });
      return events.length > 0 ? events : undefined;
    }, 'the claimed device telemetry');
    assert.deepEqual(
      stored.map((e) => e.counter),
      [1],
    );
    const record = JSON.parse(
      await readFile(join(suite().data, 'registry', 'devices', 'CC-0001.json'), 'utf8'),
    ) as { class: string; store: string; how: string };
    assert.deepEqual([record.class, record.store, record.how], ['coldchain', STORE, 'provisioned']);
  });

  it('refuses a claim certificate every publish and subscription but its own request and response', async (t) => {
    const credentials = await claim('line');
    const client = await claimConnection(t, credentials, claimClientId('CC-0100'));
    const beforePublish = await forbidden('publish');
    const beforeSubscribe = await forbidden('subscribe');

    // mqtt.js rejects a SUBACK failure code; either way the code is what the broker answered.
    const granted = (filter: string) =>
      client.subscribeAsync(filter, { qos: 1 }).then(
        (grants) => grants[0]?.qos,
        (error: { packet?: { granted?: number[] } }) => error.packet?.granted?.[0],
      );
    assert.equal(await granted(claimTopics.response('CC-0100')), 1, 'its own response topic');
    assert.equal(await granted(claimTopics.response('CC-0101')), 0x87, "another serial's");
    assert.equal(await granted('cmd/CC-0100/request'), 0x87, 'a device topic');
    assert.equal(await granted('#'), 0xa2, 'wildcards');

    const pubackCode = (topic: string) =>
      client.publishAsync(topic, Buffer.from('{}'), { qos: 1 }).then(
        (packet) => (packet as { reasonCode?: number } | undefined)?.reasonCode ?? 0,
        (error: { code?: number }) => error.code ?? -1,
      );
    assert.equal(
      await pubackCode(topicFor('coldchain', 'CC-0100', 'coldchain-telemetry')),
      0x87,
      'telemetry',
    );
    assert.equal(
      await pubackCode(claimTopics.request('CC-0101')),
      0x87,
      "another serial's request",
    );
    assert.equal(client.connected, true, 'a refusal does not cost the connection');
    assert.equal((await forbidden('publish')) - beforePublish, 2);
    assert.equal((await forbidden('subscribe')) - beforeSubscribe, 2);
  });

  it('refuses a claim certificate at the device API, which admits devices only', async () => {
    const credentials = await claim('line');
    const answer = await deviceRequest(
      `${suite().platform.deviceApiUrl}${DEVICE_API_PATHS.sealKey}`,
      { key: credentials.keyPem, cert: credentials.certChainPem, ca: credentials.trustPem },
    );
    assert.equal(answer.status, 403, answer.body);
    assert.match(answer.body, /does not name exactly one device/);
  });

  it("refuses a claim certificate that connects under a device's client id (it would take over the device's session), or asks for a session", async () => {
    const credentials = await claim('line');
    assert.equal(await connectRefused(credentials, 'CC-0200'), String(0x85));
    assert.equal(
      await connectRefused(credentials, claimClientId('CC-0200'), { clean: false }),
      String(0x87),
      'a persistent session',
    );
  });

  it('refuses a second claim of a serial with serial-claimed, and answers a retry with the same key', async () => {
    const first = deviceDir('CC-0300');
    await claimAs('CC-0300', first);
    const issued = await readFile(join(first, 'device.cert.pem'), 'utf8');

    assert.equal(await refusal(claimAs('CC-0300', deviceDir('CC-0300-again'))), 'serial-claimed');
    assert.equal(
      await refusal(claimAs('CC-0300', deviceDir('CC-0300-other'), 'second')),
      'serial-claimed',
    );
    // The same key asking again (its response was lost) gets the same certificate back.
    await claimAs('CC-0300', first);
    assert.equal(await readFile(join(first, 'device.cert.pem'), 'utf8'), issued);
  });

  it('refuses a serial outside the template pattern and a bad CSR, naming the reason', async (t) => {
    assert.equal(await refusal(claimAs('XX-0001', deviceDir('XX-0001'))), 'serial-not-allowed');

    // A CSR for another serial (a factory mix-up) and a CSR that is not one.
    const credentials = await claim('line');
    const client = await claimConnection(t, credentials, claimClientId('CC-0400'));
    const responses: ClaimResponse[] = [];
    client.on('message', (_, payload) => responses.push(JSON.parse(String(payload))));
    await client.subscribeAsync(claimTopics.response('CC-0400'), { qos: 1 });
    const key = await SoftwareKeystore.create(deviceDir('CC-0400'));
    const request = (csr: string, nonce: string) =>
      client.publishAsync(
        claimTopics.request('CC-0400'),
        JSON.stringify({
          schema_version: 1,
          type: 'claim-request',
          serial: 'CC-0400',
          csr,
          nonce,
          ts: new Date().toISOString(),
        }),
        { qos: 1 },
      );
    await request(
      await key.createCsr({ commonName: 'CC-0999' }),
      '00000000-0000-4000-8000-000000000001',
    );
    await request(
      '-----BEGIN CERTIFICATE REQUEST-----\n' +
        'A'.repeat(80) +
        '\n-----END CERTIFICATE REQUEST-----\n',
      '00000000-0000-4000-8000-000000000002',
    );
    await client.publishAsync(claimTopics.request('CC-0400'), 'not json', { qos: 1 });
    const answers = await eventually(
      () => (responses.length >= 3 ? responses : undefined),
      'three claim responses',
    );
    assert.deepEqual(
      answers.map((r) => [r.outcome, r.reason, r.nonce]),
      [
        ['refused', 'bad-csr', '00000000-0000-4000-8000-000000000001'],
        ['refused', 'bad-csr', '00000000-0000-4000-8000-000000000002'],
        ['refused', 'bad-request', undefined],
      ],
    );
    const record = readFile(join(suite().data, 'registry', 'devices', 'CC-0400.json'));
    await assert.rejects(record, { code: 'ENOENT' }, 'nothing was registered');
  });

  it('refuses a revoked claim: its open connection gets claim-revoked, a new one is not admitted', async (t) => {
    const { data } = suite();
    const out = join(data, 'claims', 'revoked');
    await runCli(
      ...['provision', 'claim', 'create', '--data', data, '--template', 'soon-revoked'],
      ...['--store', STORE, '--class', 'tool', '--out', out],
    );
    const credentials = await loadClaimDir(out);
    const client = await claimConnection(t, credentials, claimClientId('TL-0001'));
    const responses: ClaimResponse[] = [];
    client.on('message', (_, payload) => responses.push(JSON.parse(String(payload))));
    await client.subscribeAsync(claimTopics.response('TL-0001'), { qos: 1 });

    await runCli('provision', 'claim', 'revoke', '--data', data, credentials.claimId);
    const key = await SoftwareKeystore.create(deviceDir('TL-0001'));
    await client.publishAsync(
      claimTopics.request('TL-0001'),
      JSON.stringify({
        schema_version: 1,
        type: 'claim-request',
        serial: 'TL-0001',
        csr: await key.createCsr({ commonName: 'TL-0001' }),
        nonce: '00000000-0000-4000-8000-000000000003',
        ts: new Date().toISOString(),
      }),
      { qos: 1 },
    );
    const [answer] = await eventually(
      () => (responses.length > 0 ? responses : undefined),
      'the claim response',
    );
    assert.equal(answer?.reason, 'claim-revoked');
    assert.notEqual(await connectRefused(credentials, claimClientId('TL-0002')), 'admitted');
  });

  it('refuses an expired claim certificate at the handshake', async () => {
    const { data } = suite();
    const past = new Date(Date.now() - 2 * 86_400_000);
    const ctx = openIdentity(data, { now: () => past });
    const created = await createClaim(ctx, {
      template: { name: 'expired', class: 'coldchain', store: STORE, policy: 'claim-once' },
      expiresAt: new Date(past.getTime() + 3_600_000),
    });
    const credentials: ClaimCredentials = {
      claimId: created.record.id,
      keyPem: created.certificate.keyPem,
      certChainPem: created.certificate.certPem + created.certificate.chainPem,
      trustPem: created.trustPem,
    };
    assert.notEqual(await connectRefused(credentials, claimClientId('CC-0500')), 'admitted');
  });

  it('fleetplane device claim claims, writes what device send reads, and prints a refusal with its reason', async () => {
    const { data, platform } = suite();
    const claimDevice = async (serial: string, out: string) => {
      const io = capture();
      const args = ['--claim', claimDir('line'), '--serial', serial, '--out', out];
      const code = await main(
        ['device', 'claim', ...args, '--broker', platform.mqttUrl],
        io,
        deviceCommands(),
      );
      return { code, text: io.text() };
    };
    const out = join(data, 'cli-claimed', 'CC-0600');
    const claimed = await claimDevice('CC-0600', out);
    assert.equal(claimed.code, 0, claimed.text);
    assert.match(
      claimed.text,
      /Claimed CC-0600 with claim-[0-9a-f]{12}: a coldchain device of store berlin-1/,
    );
    assert.match(claimed.text, /connected with its own certificate/);
    assert.equal((await loadProvisionedDevice(out)).deviceId, 'CC-0600');

    const again = await claimDevice('CC-0600', join(data, 'cli-claimed', 'CC-0600-b'));
    assert.equal(again.code, 1);
    assert.match(again.text, /CC-0600: serial-claimed: .*\[rejected\]/);
  });
});

// With edge processes (decision 032) the TLS connection and its certificate live in another
// process: the claim gate must see the claim certificate the edge hands over.
describe('claim provisioning through edge processes', () => {
  const suite = suitePlatform(
    async (data) => {
      await runCli(
        ...['provision', 'claim', 'create', '--data', data, '--template', 'edge-line'],
        ...['--store', STORE, '--class', 'tool', '--out', join(data, 'claims', 'edge')],
      );
    },
    { mqtt: { host: '127.0.0.1', port: 0, hostnames: ['localhost', '127.0.0.1'], edges: 1 } },
  );

  it('claims a certificate through an edge, then connects with it there', async (t) => {
    const { data, platform } = suite();
    const out = join(data, 'claimed', 'TL-0700');
    const claimed = await claimCertificate({
      url: platform.mqttUrl,
      claim: await loadClaimDir(join(data, 'claims', 'edge')),
      serial: 'TL-0700',
      out,
    });
    assert.equal(claimed.deviceClass, 'tool');
    const link = await DeviceLink.connect(platform.mqttUrl, await loadProvisionedDevice(out), {
      clean: true,
    });
    t.after(() => link.client.endAsync(true));
    assert.equal(link.client.connected, true);
  });
});
