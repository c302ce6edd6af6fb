import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface ExportBucketProps {
  readonly encryptionKey: IKey;
  /** Days an access export stays in `exports/` (the download link works one day less). */
  readonly exportRetentionDays?: number;
  /** Days collected per-store data stays in `work/` before the export is built from it. */
  readonly workRetentionDays?: number;
  /** Days the server access logs of this bucket (and the demo buckets) are kept. */
  readonly accessLogRetentionDays?: number;
}

/**
 * Access exports (`exports/<requestId>/`) and the per-store data collected on the way
 * (`work/<requestId>/`): private, KMS-encrypted, TLS only, and short-lived by lifecycle, so
 * nothing survives its window even if a task forgets to clean up. Unversioned: a deleted export
 * must be gone, not a noncurrent version.
 */
export class ExportBucket extends Construct {
  readonly bucket: Bucket;
  /** Server access logs (SSE-S3: S3 cannot deliver access logs into a KMS-encrypted bucket). */
  readonly accessLogBucket: Bucket;

  constructor(scope: Construct, id: string, props: ExportBucketProps) {
    super(scope, id);
    this.accessLogBucket = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(props.accessLogRetentionDays ?? 90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: false,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'exports-bucket/',
      lifecycleRules: [
        { id: 'expire-exports', prefix: 'exports/', expiration: Duration.days(props.exportRetentionDays ?? 8) },
        { id: 'expire-work', prefix: 'work/', expiration: Duration.days(props.workRetentionDays ?? 1) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      // Retained so the lifecycle rules keep deleting what is left if the stack goes away.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
