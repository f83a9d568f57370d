import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * The blob store's bucket (firmware images, signed receipts, archives): SSE-KMS under the blob
 * domain's key with S3 bucket keys (one KMS call per object batch, not per object), versioned, no
 * public access, TLS only. Server access logs go to a bucket of their own.
 */
export class BlobBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: { readonly key: IKey }) {
    super(scope, id);
    const common = {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    };
    const accessLogs = new Bucket(this, 'AccessLogs', {
      ...common,
      // S3 server access logging cannot deliver to an SSE-KMS bucket; SSE-S3 is what it takes.
      encryption: BucketEncryption.S3_MANAGED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    this.bucket = new Bucket(this, 'Bucket', {
      ...common,
      encryption: BucketEncryption.KMS,
      encryptionKey: props.key,
      bucketKeyEnabled: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'blobs/',
    });
  }
}
