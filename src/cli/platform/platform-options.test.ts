import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { capture } from '../../../test-support/cli.js';
import { UsageError } from '../command.js';
import { main } from '../main.js';
import { platformCommands } from './index.js';
import { demoPlatformConfig } from './demo-command.js';
import { platformConfig } from './platform-options.js';

const usage = (pattern: RegExp) => (error: unknown) =>
  error instanceof UsageError && pattern.test(error.message);

describe('the API transport options', () => {
  it('serve HTTPS from the fleet CA unless told otherwise', () => {
    assert.equal(platformConfig('d', {}).api.transport, undefined);
    assert.equal(platformConfig('d', { 'api-host': '0.0.0.0' }).api.transport, undefined);
  });

  it('take plain HTTP only on a loopback --api-host, naming --api-http otherwise', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', 'localhost']) {
      const config = platformConfig('d', { 'api-http': true, 'api-host': host });
      assert.deepEqual(config.api.transport, { kind: 'http' }, host);
    }
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'fleet.example']) {
      assert.throws(
        () => platformConfig('d', { 'api-http': true, 'api-host': host }),
        usage(/--api-http .*loopback/),
        host,
      );
    }
  });

  it('make `fleetplane start --api-http` on a non-loopback host a usage error (exit 2)', async () => {
    const io = capture();
    const argv = ['start', '--data', 'unused', '--api-http', '--api-host', '0.0.0.0'];
    assert.equal(await main(argv, io, platformCommands()), 2, io.text());
    assert.match(io.text(), /--api-http serves plain HTTP only on a loopback address/);
  });

  it("take the operator's certificate and key together, as absolute paths", () => {
    const config = platformConfig('d', { 'api-cert': 'c.pem', 'api-key': 'k.pem' });
    assert.deepEqual(config.api.transport, {
      kind: 'operator',
      certFile: resolve('c.pem'),
      keyFile: resolve('k.pem'),
    });
    assert.throws(() => platformConfig('d', { 'api-cert': 'c.pem' }), usage(/go together/));
    assert.throws(() => platformConfig('d', { 'api-key': 'k.pem' }), usage(/go together/));
    assert.throws(
      () => platformConfig('d', { 'api-http': true, 'api-cert': 'c.pem', 'api-key': 'k.pem' }),
      usage(/--api-http serves no certificate/),
    );
  });

  it('make the demo plain HTTP on loopback, and HTTPS with --https', () => {
    assert.deepEqual(demoPlatformConfig('d', {}).api.transport, { kind: 'http' });
    assert.equal(demoPlatformConfig('d', { https: true }).api.transport, undefined);
    assert.equal(
      demoPlatformConfig('d', { https: true, 'api-host': '0.0.0.0' }).api.host,
      '0.0.0.0',
    );
    assert.equal(
      demoPlatformConfig('d', { 'api-cert': 'c.pem', 'api-key': 'k.pem' }).api.transport?.kind,
      'operator',
    );
    assert.throws(() => demoPlatformConfig('d', { 'api-host': '0.0.0.0' }), usage(/--https/));
  });
});

describe('--edges', () => {
  it('holds device connections in that many edge processes, none by default', () => {
    assert.equal(platformConfig('d', {}).mqtt.edges, undefined);
    assert.equal(platformConfig('d', { edges: '4' }).mqtt.edges, 4);
  });

  it('refuses a count that is not a whole number with a usage error', () => {
    for (const edges of ['two', '-1', '1.5']) {
      assert.throws(() => platformConfig('d', { edges }), usage(/--edges/), edges);
    }
  });
});

describe('--ota-tick-s', () => {
  it('ticks rollouts that often, every 30 s by default, and refuses 0 or a non-number', () => {
    assert.equal(platformConfig('d', {}).otaTickMs, undefined);
    assert.equal(platformConfig('d', { 'ota-tick-s': '2' }).otaTickMs, 2000);
    for (const value of ['0', 'soon', '-1']) {
      assert.throws(
        () => platformConfig('d', { 'ota-tick-s': value }),
        usage(/--ota-tick-s/),
        value,
      );
    }
  });
});

describe('--message-rate and --message-burst', () => {
  it('set each device’s publish rate, the default when absent and none at 0', () => {
    assert.equal(platformConfig('d', {}).mqtt.messageRate, undefined);
    assert.deepEqual(platformConfig('d', { 'message-rate': '5' }).mqtt.messageRate, {
      perSecond: 5,
      burst: 1_000,
    });
    assert.deepEqual(
      platformConfig('d', { 'message-rate': '5', 'message-burst': '50' }).mqtt.messageRate,
      { perSecond: 5, burst: 50 },
    );
    assert.equal(platformConfig('d', { 'message-rate': '0' }).mqtt.messageRate, false);
  });

  it('refuses a burst of 0, a burst with no limit and a rate that is not a whole number', () => {
    assert.throws(() => platformConfig('d', { 'message-burst': '0' }), usage(/at least 1/));
    assert.throws(
      () => platformConfig('d', { 'message-rate': '0', 'message-burst': '9' }),
      usage(/no limit/),
    );
    assert.throws(() => platformConfig('d', { 'message-rate': 'fast' }), usage(/--message-rate/));
  });
});

describe('the telemetry and blob store options', () => {
  it('pass a DynamoDB telemetry URL and an S3 blob URL through to the config', () => {
    const config = platformConfig('d', {
      'telemetry-url': 'dynamodb://127.0.0.1:8000/telemetry',
      'blob-url': 's3://fleet-blobs?endpoint=http://127.0.0.1:9000',
    });
    assert.equal(config.telemetryUrl, 'dynamodb://127.0.0.1:8000/telemetry');
    assert.equal(config.blobUrl, 's3://fleet-blobs?endpoint=http://127.0.0.1:9000');
    const embedded = platformConfig('d', {});
    assert.equal(embedded.telemetryUrl, undefined);
    assert.equal(embedded.blobUrl, undefined);
  });

  it('refuse a URL they cannot use, saying what they take', () => {
    assert.throws(
      () => platformConfig('d', { 'telemetry-url': 'postgres://h/db' }),
      usage(/--telemetry-url: .*dynamodb:\/\/HOST:PORT\/TABLE/),
    );
    assert.throws(
      () => platformConfig('d', { 'blob-url': 's3://Bad_Bucket' }),
      usage(/--blob-url: .*s3:\/\/BUCKET\?endpoint=/),
    );
  });
});
