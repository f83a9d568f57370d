import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

const KMS_WILDCARDS = {
  'Action::kms:GenerateDataKey*':
    "CDK's queue grant: encrypting for the KMS-encrypted dead-letter queue takes GenerateDataKey and GenerateDataKeyWithoutPlaintext, on that one key only",
  'Action::kms:ReEncrypt*':
    "CDK's grant for a KMS-encrypted resource (ReEncryptFrom/To), on that one key only",
} as const;

/**
 * Each cdk-nag finding this stack accepts, with the reason it is accepted. Anything not listed
 * here fails the synth; a finding listed here that no longer occurs is harmless.
 */
export function acknowledgeReviewedFindings(parts: {
  readonly ingestRole: IConstruct;
  readonly ingestFunction: IConstruct;
  readonly errorActionRole: IConstruct;
}): void {
  const ack = (scope: IConstruct, finding: string, reason: string) =>
    Validations.of(scope).acknowledge({ id: `AwsSolutions-${finding}`, reason });

  for (const role of [parts.ingestRole, parts.errorActionRole]) {
    for (const [what, reason] of Object.entries(KMS_WILDCARDS)) ack(role, `IAM5[${what}]`, reason);
  }
  ack(
    parts.ingestRole,
    'IAM5[Resource::<TelemetryTableC7A3E736.Arn>/index/*]',
    'The telemetry store queries its three indexes (by_time, by_store, by_seq); the wildcard covers exactly the indexes of this one table',
  );
  ack(
    parts.ingestRole,
    'IAM5[Resource::arn:<AWS::Partition>:iot:<AWS::Region>:<AWS::AccountId>:topic/devices/errors/*]',
    'Rejections go to the error topic of whichever device sent the message (devices/errors/<id>); the function may publish there and nowhere else',
  );
  ack(
    parts.ingestFunction,
    'L1',
    'Node.js 24 is the newest runtime the platform supports (package.json engines: 20, 22, 24); a newer Lambda runtime is adopted with the platform, not ahead of it',
  );
}
