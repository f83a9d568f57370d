import { RemovalPolicy } from 'aws-cdk-lib';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * One customer-managed KMS key per data domain, rotated yearly, as the seed's PRD asks: every
 * decrypt is a CloudTrail event, and a key's grants say who can read that domain.
 */
export class DataKeys extends Construct {
  readonly telemetry: Key;
  readonly blobs: Key;
  /** The dead-letter queue and the alarm topic. */
  readonly operations: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const key = (name: string, description: string) =>
      new Key(this, name, {
        description,
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
    this.telemetry = key('Telemetry', 'fleetplane telemetry and device registry tables');
    this.blobs = key('Blobs', 'fleetplane blobs: firmware, receipts, archives');
    this.operations = key('Operations', 'fleetplane dead-letter queue and alarm topic');
    // CloudWatch alarms publish to the encrypted alarm topic.
    this.operations.grant(
      new ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );
  }
}
