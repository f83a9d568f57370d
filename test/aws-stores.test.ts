import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { platformConfig } from '../src/cli/platform/platform-options.js';
import { imageKey } from '../src/domain/ota/images/image-store.js';
import { S3BlobStore } from '../src/stores/blobs/s3/s3-blob-store.js';
import { DynamoDbTelemetryStore } from '../src/stores/telemetry/dynamodb/dynamodb-telemetry-store.js';
import { startDynalite, startS3rver } from '../test-support/local-aws.js';
import { message } from '../test-support/messages.js';
import {
  connectDevice,
  eventually,
  fleetDataDir,
  provisionDevice,
  startTestPlatform,
} from '../test-support/platform.js';

// The platform with telemetry in DynamoDB and blobs in S3, each a local server this test starts,
// chosen as `fleetplane start` chooses them: by --telemetry-url and --blob-url.
describe('the platform on DynamoDB and S3', () => {
  it('stores a device message in the table, projects it, and keeps firmware in the bucket', async (t) => {
    const dynamo = await startDynalite(t);
    const s3 = await startS3rver(t);
    const data = await fleetDataDir(t);
    const dir = await provisionDevice(data, 'CART-0001');
    const flags = platformConfig(data, {
      'telemetry-url': `dynamodb://127.0.0.1:${dynamo.port}/fleet_telemetry`,
      'blob-url': `s3://fleet-blobs?endpoint=${s3.endpoint}`,
    });
    const platform = await startTestPlatform(t, data, {
      ...(flags.telemetryUrl ? { telemetryUrl: flags.telemetryUrl } : {}),
      ...(flags.blobUrl ? { blobUrl: flags.blobUrl } : {}),
    });
    assert.ok(platform.telemetry instanceof DynamoDbTelemetryStore);
    assert.ok(platform.blobs instanceof S3BlobStore);

    const cart = await connectDevice(t, platform.mqttUrl, dir);
    await cart.send(message('health', 'CART-0001', 1, { battery_pct: 61 }));
    const table = await DynamoDbTelemetryStore.open({
      endpoint: dynamo.endpoint,
      table: 'fleet_telemetry',
    });
    t.after(() => table.close());
    const [stored] = await table.latestForDevice('CART-0001', { limit: 5 });
    assert.equal(stored?.counter, 1, 'acknowledged means in the table');
    assert.equal(JSON.parse(stored.body).battery_pct, 61);
    await eventually(async () => {
      const device = await platform.entities.getDevice('CART-0001');
      return device?.batteryPct === 61 ? device : undefined;
    }, 'the health message projected into the entity store');

    const image = randomBytes(200_000);
    const { imageId } = await platform.ota.images.put(image);
    const bucket = await S3BlobStore.open({ endpoint: s3.endpoint, bucket: 'fleet-blobs' });
    t.after(() => bucket.close());
    const blob = await bucket.head(imageKey(imageId));
    assert.equal(blob?.size, image.length);
    assert.equal(blob?.sha256, createHash('sha256').update(image).digest('hex'));
    assert.ok((await platform.ota.images.get(imageId))?.equals(image), 'read back from S3');
  });

  it("does not start when the telemetry table's server does not answer, naming the flag that chose it", async (t) => {
    const data = await fleetDataDir(t);
    await assert.rejects(
      startTestPlatform(t, data, { telemetryUrl: 'dynamodb://127.0.0.1:1/fleet_telemetry' }),
      (error: Error & { code?: string }) =>
        error.code === 'store-unavailable' &&
        /--telemetry-url dynamodb:\/\/127.0.0.1:1/.test(error.message),
    );
  });
});
