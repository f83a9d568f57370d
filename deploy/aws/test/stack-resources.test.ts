import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Match } from 'aws-cdk-lib/assertions';
import { TELEMETRY_TABLE_DESIGN } from '../../../src/stores/telemetry/dynamodb/telemetry-table.js';
import { ruleTopicFilters } from '../lib/ingest-rules.js';
import { RULE_SELECT } from '../lambda/rule-event.js';
import { stackTemplate } from './synth-fixture.js';

const { stack, template } = stackTemplate();
const design = TELEMETRY_TABLE_DESIGN;
const telemetryTableId = stack.getLogicalId(stack.telemetry.table.node.defaultChild as never);

describe('the telemetry table', () => {
  const table = template.findResources('AWS::DynamoDB::Table')[telemetryTableId]!['Properties'];

  it("has the adapter's keys and indexes (decision 054)", () => {
    const keys = (hash: string, range: string) => [
      { AttributeName: hash, KeyType: 'HASH' },
      { AttributeName: range, KeyType: 'RANGE' },
    ];
    assert.deepEqual(table.KeySchema, keys(design.partitionKey.name, design.sortKey.name));
    assert.deepEqual(
      table.LocalSecondaryIndexes.map((i: { IndexName: string; KeySchema: unknown }) => [
        i.IndexName,
        i.KeySchema,
      ]),
      design.localIndexes.map((i) => [i.name, keys(design.partitionKey.name, i.sortKey.name)]),
    );
    assert.deepEqual(
      table.GlobalSecondaryIndexes.map((i: { IndexName: string; KeySchema: unknown }) => [
        i.IndexName,
        i.KeySchema,
      ]),
      design.globalIndexes.map((i) => [i.name, keys(i.partitionKey.name, i.sortKey.name)]),
    );
    const types = Object.fromEntries(
      table.AttributeDefinitions.map((a: { AttributeName: string; AttributeType: string }) => [
        a.AttributeName,
        a.AttributeType,
      ]),
    );
    assert.deepEqual(types, {
      device: 'S',
      counter: 'N',
      timeKey: 'S',
      store: 'S',
      storeKey: 'S',
      feed: 'S',
      seq: 'N',
    });
  });

  it('expires events by TTL, keeps point-in-time recovery and is encrypted under a KMS key', () => {
    assert.deepEqual(table.TimeToLiveSpecification, { AttributeName: 'expiresAt', Enabled: true });
    assert.equal(table.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled, true);
    assert.equal(table.SSESpecification.SSEEnabled, true);
    assert.equal(table.SSESpecification.SSEType, 'KMS');
    assert.ok(table.SSESpecification.KMSMasterKeyId, 'a customer-managed key');
    assert.equal(table.BillingMode, 'PAY_PER_REQUEST');
  });
});

describe('the blob bucket', () => {
  it('encrypts with SSE-KMS under a rotated key, versions, blocks public access', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: Match.anyValue(),
            },
            BucketKeyEnabled: true,
          }),
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    for (const key of Object.values(template.findResources('AWS::KMS::Key'))) {
      assert.equal(key['Properties'].EnableKeyRotation, true);
    }
  });

  it('refuses requests without TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});

describe('ingest', () => {
  it('has one rule per device-published topic filter, invoking the function, errors to the DLQ', () => {
    const rules = Object.values(template.findResources('AWS::IoT::TopicRule'));
    const sql = rules.map((r) => r['Properties'].TopicRulePayload.Sql as string).sort();
    assert.deepEqual(
      sql,
      ruleTopicFilters()
        .map((f) => `${RULE_SELECT} FROM '${f}'`)
        .sort(),
    );
    assert.ok(
      ruleTopicFilters().includes('dt/cart/+/+') && ruleTopicFilters().includes('cmd/+/response'),
    );
    for (const rule of rules) {
      const payload = rule['Properties'].TopicRulePayload;
      assert.ok(payload.Actions[0].Lambda.FunctionArn, 'invokes the ingest function');
      assert.ok(payload.ErrorAction.Sqs.QueueUrl, 'errors go to the dead-letter queue');
    }
  });

  it('retries a failed event twice, then keeps it on a KMS-encrypted queue for 14 days', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 2 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      DeadLetterConfig: { TargetArn: Match.anyValue() },
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: Match.anyValue(),
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });

  it('alarms on errors, throttles, dead letters, rule failures, table throttles and auth failures', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    assert.equal(alarms.length, 6);
    for (const alarm of alarms) assert.equal(alarm['Properties'].AlarmActions.length, 1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });
});
