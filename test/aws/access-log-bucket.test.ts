import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACCESS_LOG_EXPIRY_DAYS } from '../../lib/aws/access-log-bucket';
import { exampleCluster, synthAws } from '../support/aws-synth';

const { json } = synthAws(exampleCluster());
const resources = json.resource;
const bucket = '${aws_s3_bucket.ui-access-logs_bucket.id}';

describe('AWS stack: UI access log bucket', () => {
  it('is encrypted with S3-managed keys (the only kind ALB log delivery takes) and blocks all public access', () => {
    const [encryption] = Object.values(resources.aws_s3_bucket_server_side_encryption_configuration);
    assert.equal(encryption.bucket, bucket);
    assert.equal(encryption.rule[0].apply_server_side_encryption_by_default.sse_algorithm, 'AES256');
    const [block] = Object.values(resources.aws_s3_bucket_public_access_block);
    assert.deepEqual(
      [block.bucket, block.block_public_acls, block.block_public_policy, block.ignore_public_acls, block.restrict_public_buckets],
      [bucket, true, true, true, true],
    );
    assert.equal(resources.aws_s3_bucket['ui-access-logs_bucket'].bucket_prefix, 'ci-aws-ui-logs-');
  });

  it('lets only Elastic Load Balancing put objects, under the load balancer\'s prefix', () => {
    const policy = JSON.parse(resources.aws_s3_bucket_policy['ui-access-logs_policy'].policy);
    assert.deepEqual(
      policy.Statement.filter((s: any) => s.Effect === 'Allow').map((s: any) => [s.Effect, s.Principal, s.Action, s.Resource]),
      [
        ['Allow', { AWS: '${data.aws_elb_service_account.ui-access-logs_elb-account.arn}' }, 's3:PutObject', '${aws_s3_bucket.ui-access-logs_bucket.arn}/ui/AWSLogs/*'],
        ['Allow', { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' }, 's3:PutObject', '${aws_s3_bucket.ui-access-logs_bucket.arn}/ui/AWSLogs/*'],
      ],
    );
  });

  it('refuses every request that is not over TLS, on the bucket and its objects', () => {
    const policy = JSON.parse(resources.aws_s3_bucket_policy['ui-access-logs_policy'].policy);
    const deny = policy.Statement.filter((s: any) => s.Effect === 'Deny');
    assert.deepEqual(deny, [
      {
        Sid: 'TlsOnly',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: ['${aws_s3_bucket.ui-access-logs_bucket.arn}', '${aws_s3_bucket.ui-access-logs_bucket.arn}/*'],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
  });

  it('keeps versions of the logs, and expires logs and old versions after a year', () => {
    const versioning = resources.aws_s3_bucket_versioning['ui-access-logs_versioning'];
    assert.deepEqual([versioning.bucket, versioning.versioning_configuration.status], [bucket, 'Enabled']);
    const [rule, ...more] = resources.aws_s3_bucket_lifecycle_configuration['ui-access-logs_lifecycle'].rule;
    assert.equal(more.length, 0);
    assert.equal(rule.status, 'Enabled');
    assert.deepEqual(rule.filter, [{ prefix: 'ui/' }]);
    assert.deepEqual(rule.expiration, [{ days: ACCESS_LOG_EXPIRY_DAYS }]);
    assert.deepEqual(rule.noncurrent_version_expiration, [{ noncurrent_days: ACCESS_LOG_EXPIRY_DAYS }]);
    assert.equal(ACCESS_LOG_EXPIRY_DAYS, 365);
  });

  it('receives the load balancer\'s access logs once its policy is in place', () => {
    const lb = resources.aws_lb['ui_load-balancer'];
    assert.deepEqual(lb.access_logs, { bucket, prefix: 'ui', enabled: true });
    assert.ok(lb.depends_on.includes('aws_s3_bucket_policy.ui-access-logs_policy'));
  });
});
