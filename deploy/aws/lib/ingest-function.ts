import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Code, Function, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { INGEST_ENV } from '../lambda/ingest-env.js';
import { bundleIngest } from './ingest-bundle.js';

export interface IngestFunctionProps {
  readonly telemetryTable: ITable;
  readonly deviceTable: ITable;
  readonly queueKey: IKey;
  readonly retentionDays: number;
  readonly iotDataEndpoint?: string;
  /** A folder holding a built index.mjs; bundled at synth time when absent. */
  readonly bundleDir?: string;
}

/**
 * The ingest function: the platform's pipeline behind the topic rule. IoT invokes it
 * asynchronously; a failed event is retried twice (the seed's "after 2 retries") and then kept
 * on the encrypted dead-letter queue for 14 days.
 */
export class IngestFunction extends Construct {
  readonly fn: Function;
  readonly deadLetters: Queue;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: IngestFunctionProps) {
    super(scope, id);
    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.queueKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // A role of its own instead of the managed basic-execution policy: logs to its group only.
    const role = (this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    }));
    role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({
        actions: ['iot:Publish'],
        resources: [
          Stack.of(this).formatArn({
            service: 'iot',
            resource: 'topic',
            resourceName: 'devices/errors/*',
          }),
        ],
      }),
    );
    this.fn = new Function(this, 'Function', {
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      handler: 'index.handler',
      code: Code.fromAsset(props.bundleDir ?? bundleIngest()),
      memorySize: 512,
      timeout: Duration.seconds(30),
      role,
      logGroup,
      deadLetterQueue: this.deadLetters,
      retryAttempts: 2,
      environment: {
        [INGEST_ENV.telemetryTable]: props.telemetryTable.tableName,
        [INGEST_ENV.deviceTable]: props.deviceTable.tableName,
        [INGEST_ENV.retentionDays]: String(props.retentionDays),
        ...(props.iotDataEndpoint ? { [INGEST_ENV.iotDataEndpoint]: props.iotDataEndpoint } : {}),
      },
    });
    props.telemetryTable.grantReadWriteData(this.fn);
    props.deviceTable.grantReadData(this.fn);
  }
}
