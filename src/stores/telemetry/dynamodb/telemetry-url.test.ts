import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDynamoDbTelemetryUrl } from './telemetry-url.js';

describe('parseDynamoDbTelemetryUrl', () => {
  it('reads a local endpoint and its table, https with dynamodbs, AWS with no host', () => {
    assert.deepEqual(parseDynamoDbTelemetryUrl('dynamodb://127.0.0.1:8000/telemetry'), {
      table: 'telemetry',
      endpoint: 'http://127.0.0.1:8000',
    });
    assert.deepEqual(
      parseDynamoDbTelemetryUrl('dynamodbs://ddb.example:443/tel_2?region=eu-west-1'),
      {
        table: 'tel_2',
        endpoint: 'https://ddb.example:443',
        region: 'eu-west-1',
      },
    );
    assert.deepEqual(parseDynamoDbTelemetryUrl('dynamodb:///device_telemetry'), {
      table: 'device_telemetry',
    });
  });

  it('refuses other schemes, a missing table and table names DynamoDB refuses', () => {
    for (const url of [
      'postgres://h/t',
      'dynamodb://h:1/',
      'dynamodb://h:1/ab',
      'dynamodb://h/a b c',
      'nonsense',
    ]) {
      assert.throws(() => parseDynamoDbTelemetryUrl(url), { code: 'invalid-telemetry-url' });
    }
  });
});
