import { DataAwsElbServiceAccount } from '@cdktf/provider-aws/lib/data-aws-elb-service-account';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';

export interface AccessLogBucketProps {
  /** Start of the bucket's name (S3 appends a unique suffix): the cluster's name. */
  readonly clusterName: string;
  /** Key prefix the load balancer writes under. */
  readonly prefix: string;
  /** How long a log object (and a replaced version of it) is kept. @default 365 (a year) */
  readonly expiryDays?: number;
  readonly tags: Record<string, string>;
}

/** How long access logs are kept by default: a year, as the VPC flow logs. */
export const ACCESS_LOG_EXPIRY_DAYS = 365;

/**
 * A private, encrypted, versioned bucket that the region's Elastic Load Balancing service may
 * write access logs into, reachable only over TLS, whose logs expire. ALB log delivery supports
 * only SSE-S3 (AES256), not KMS keys.
 */
export class AccessLogBucket extends Construct {
  readonly bucket: S3Bucket;
  /** Load balancers must wait for it: AWS checks write access when logging is switched on. */
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'bucket', { bucketPrefix: `${props.clusterName}-ui-logs-`, tags: props.tags });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
    });
    // Versions keep a log that is overwritten or deleted until it expires like the others.
    new S3BucketVersioningA(this, 'versioning', { bucket: this.bucket.id, versioningConfiguration: { status: 'Enabled' } });
    const expiryDays = props.expiryDays ?? ACCESS_LOG_EXPIRY_DAYS;
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket: this.bucket.id,
      rule: [
        {
          id: 'expire-access-logs',
          status: 'Enabled',
          filter: [{ prefix: `${props.prefix}/` }],
          expiration: [{ days: expiryDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: expiryDays }],
        },
      ],
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    // Regions older than August 2022 deliver from a regional ELB account, newer ones from the service principal.
    const elbAccount = new DataAwsElbServiceAccount(this, 'elb-account', {});
    const logObjects = `${this.bucket.arn}/${props.prefix}/AWSLogs/*`;
    this.policy = new S3BucketPolicy(this, 'policy', {
      bucket: this.bucket.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'ElbAccountWritesLogs', Effect: 'Allow', Principal: { AWS: elbAccount.arn }, Action: 's3:PutObject', Resource: logObjects },
          { Sid: 'ElbServiceWritesLogs', Effect: 'Allow', Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' }, Action: 's3:PutObject', Resource: logObjects },
          {
            Sid: 'TlsOnly',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      }),
      // A policy put before the block settles could be refused as public; order them.
      dependsOn: [publicAccess],
    });
  }
}
