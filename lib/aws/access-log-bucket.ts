import { DataAwsElbServiceAccount } from '@cdktf/provider-aws/lib/data-aws-elb-service-account';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { Construct } from 'constructs';

export interface AccessLogBucketProps {
  /** Start of the bucket's name (S3 appends a unique suffix): the cluster's name. */
  readonly clusterName: string;
  /** Key prefix the load balancer writes under. */
  readonly prefix: string;
  readonly tags: Record<string, string>;
}

/**
 * A private, encrypted bucket that the region's Elastic Load Balancing service may write access
 * logs into. ALB log delivery supports only SSE-S3 (AES256), not KMS keys.
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
        ],
      }),
      // A policy put before the block settles could be refused as public; order them.
      dependsOn: [publicAccess],
    });
  }
}
