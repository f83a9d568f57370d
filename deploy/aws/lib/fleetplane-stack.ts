import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DEFAULT_RETENTION_DAYS } from '../../../src/stores/telemetry/telemetry-store.js';
import { BlobBucket } from './blob-bucket.js';
import { DataKeys } from './data-keys.js';
import { DevicePolicies } from './device-policies.js';
import { DeviceRegistryTable } from './device-registry-table.js';
import { IngestAlarms } from './ingest-alarms.js';
import { IngestFunction } from './ingest-function.js';
import { IngestRules } from './ingest-rules.js';
import { acknowledgeReviewedFindings } from './nag-suppressions.js';
import { TelemetryTable } from './telemetry-table.js';

export interface FleetplaneStackProps extends StackProps {
  /** Days a telemetry event is kept before DynamoDB's TTL deletes it. */
  readonly retentionDays?: number;
  /** The account's IoT data endpoint, for error feedback to devices. */
  readonly iotDataEndpoint?: string;
  /** A folder holding a built ingest bundle (tests reuse one); bundled at synth when absent. */
  readonly ingestBundleDir?: string;
}

/**
 * The seed's managed path: devices on IoT Core with per-device policies, topic rules into the
 * ingest function that runs the platform's own pipeline, telemetry in DynamoDB, blobs in S3,
 * failures on a dead-letter queue, alarms on what loses data. Decision 056 maps each part.
 */
export class FleetplaneStack extends Stack {
  readonly telemetry: TelemetryTable;
  readonly devices: DevicePolicies;
  readonly blobs: BlobBucket;
  readonly ingest: IngestFunction;
  readonly rules: IngestRules;
  readonly alarms: IngestAlarms;

  constructor(scope: Construct, id: string, props: FleetplaneStackProps = {}) {
    super(scope, id, props);
    const keys = new DataKeys(this, 'Keys');
    this.devices = new DevicePolicies(this, 'Devices');
    this.telemetry = new TelemetryTable(this, 'Telemetry', { key: keys.telemetry });
    const registry = new DeviceRegistryTable(this, 'Registry', { key: keys.telemetry });
    this.blobs = new BlobBucket(this, 'Blobs', { key: keys.blobs });
    this.ingest = new IngestFunction(this, 'Ingest', {
      telemetryTable: this.telemetry.table,
      deviceTable: registry.table,
      queueKey: keys.operations,
      retentionDays: props.retentionDays ?? DEFAULT_RETENTION_DAYS,
      ...(props.iotDataEndpoint ? { iotDataEndpoint: props.iotDataEndpoint } : {}),
      ...(props.ingestBundleDir ? { bundleDir: props.ingestBundleDir } : {}),
    });
    this.rules = new IngestRules(this, 'Rules', {
      fn: this.ingest.fn,
      deadLetters: this.ingest.deadLetters,
    });
    this.alarms = new IngestAlarms(this, 'Alarms', {
      fn: this.ingest.fn,
      deadLetters: this.ingest.deadLetters,
      telemetryTable: this.telemetry.table,
      ruleNames: this.rules.rules.map((r) => r.ruleName ?? ''),
      topicKey: keys.operations,
    });
    acknowledgeReviewedFindings({
      ingestRole: this.ingest.role,
      ingestFunction: this.ingest.fn,
      errorActionRole: this.rules.errorActionRole,
    });
  }
}
