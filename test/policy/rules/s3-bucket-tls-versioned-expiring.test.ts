import { describe, it } from 'node:test';
import { s3BucketTlsVersionedExpiring } from '../../../lib/policy/rules/s3-bucket-tls-versioned-expiring';
import { assertFails, assertPasses, ref } from '../../support/policy-fixtures';

const tlsOnly = (bucket: string) => ({
  bucket: ref(bucket),
  policy: JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['x', 'x/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
  }),
});
const versioned = (bucket: string) => ({ bucket: ref(bucket), versioning_configuration: { status: 'Enabled' } });
const expiring = (bucket: string) => ({ bucket: ref(bucket), rule: [{ id: 'x', status: 'Enabled', expiration: [{ days: 365 }] }] });

describe('rule s3-bucket-tls-versioned-expiring', () => {
  it('passes a bucket with a TLS-only policy, versioning and an expiry rule', () => {
    assertPasses(s3BucketTlsVersionedExpiring, {
      resource: {
        aws_s3_bucket: { logs: {} },
        aws_s3_bucket_policy: { logs: tlsOnly('aws_s3_bucket.logs') },
        aws_s3_bucket_versioning: { logs: versioned('aws_s3_bucket.logs') },
        aws_s3_bucket_lifecycle_configuration: { logs: expiring('aws_s3_bucket.logs') },
      },
    });
  });

  it('fails a bucket without any of them, and one whose versioning is suspended', () => {
    assertFails(
      s3BucketTlsVersionedExpiring,
      {
        resource: {
          aws_s3_bucket: { bare: {}, suspended: {} },
          aws_s3_bucket_policy: { suspended: tlsOnly('aws_s3_bucket.suspended') },
          aws_s3_bucket_versioning: { suspended: { bucket: ref('aws_s3_bucket.suspended'), versioning_configuration: { status: 'Suspended' } } },
          aws_s3_bucket_lifecycle_configuration: { suspended: expiring('aws_s3_bucket.suspended') },
        },
      },
      { 'aws_s3_bucket.bare': /no a policy denying requests without TLS, versioning, an expiry rule/, 'aws_s3_bucket.suspended': /has no versioning$/ },
    );
  });
});
