import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  IngestPipeline,
  type IngestOutcome,
} from '../../../src/pipeline/ingest/ingest-pipeline.js';
import { InlineVerifier } from '../../../src/pipeline/ingest/signature-verifier.js';
import { createLogger } from '../../../src/shared/observability/logger.js';
import { PlatformMetrics } from '../../../src/shared/observability/metrics.js';
import { DynamoDbTelemetryStore } from '../../../src/stores/telemetry/dynamodb/dynamodb-telemetry-store.js';
import { DynamoDbDeviceDirectory } from './dynamodb-device-directory.js';
import { iotFeedback } from './iot-feedback.js';
import { INGEST_ENV } from './ingest-env.js';
import { toInboundMessage } from './rule-event.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the stack sets it on the ingest function`);
  return value;
}

/**
 * The same pipeline the self-hosted ingest runs (decode, schema, topic, device, signature, dedup,
 * store), built once per warm instance. The verifier is the inline one: an instance handles one
 * event at a time, a worker pool would only add start-up time.
 */
async function openPipeline(): Promise<IngestPipeline> {
  const region = process.env['AWS_REGION'];
  const retention = Number(process.env[INGEST_ENV.retentionDays] ?? '');
  const telemetry = await DynamoDbTelemetryStore.open({
    table: required(INGEST_ENV.telemetryTable),
    ...(region ? { region } : {}),
    ...(Number.isFinite(retention) && retention > 0 ? { retentionDays: retention } : {}),
  });
  const registry = new DynamoDBClient(region ? { region } : {});
  return new IngestPipeline({
    telemetry,
    devices: new DynamoDbDeviceDirectory(registry, required(INGEST_ENV.deviceTable)),
    verifier: new InlineVerifier(),
    feedback: iotFeedback(process.env[INGEST_ENV.iotDataEndpoint]),
    metrics: new PlatformMetrics(),
    log: createLogger({ destination: process.stdout }),
  });
}

let pipeline: Promise<IngestPipeline> | undefined;

/**
 * One device message from the topic rule. Stored, duplicate and rejected are all answers (a
 * rejection has gone to the device's error topic); the function fails only when the event is not
 * a rule event or the store could not take the message, and then Lambda retries it twice and
 * leaves it on the dead-letter queue.
 */
export async function handler(event: unknown): Promise<IngestOutcome> {
  const message = toInboundMessage(event);
  pipeline ??= openPipeline().catch((error: unknown) => {
    pipeline = undefined;
    throw error;
  });
  return (await pipeline).submit(message);
}
