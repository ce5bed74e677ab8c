import { judge, PolicyRule } from '../rule';
import { iamDocuments, listOf } from '../iam-documents';
import { blocks, referencedAddress, resourcesOf, TerraformJson } from '../terraform-json';

/** Every bucket refuses plain HTTP, keeps versions, and lets its objects expire. */
export const s3BucketTlsVersionedExpiring: PolicyRule = {
  id: 's3-bucket-tls-versioned-expiring',
  level: 'error',
  clouds: ['aws'],
  summary: 'every bucket\'s policy denies requests without TLS (`aws:SecureTransport` false), versioning is on and a lifecycle rule expires objects',
  mirrors: { checkov: ['CKV_AWS_21', 'CKV2_AWS_61'], trivy: [], kics: [] },
  explanation: 'A bucket (the access logs) is reached only over TLS, keeps overwritten or deleted objects as versions, and expires them, so the record is neither read in clear, lost, nor kept forever',
  fix: 'add a bucket policy statement denying s3:* when aws:SecureTransport is false, aws_s3_bucket_versioning Enabled and an aws_s3_bucket_lifecycle_configuration rule with expiration (lib/aws/access-log-bucket.ts)',
  evaluate: (stack) => {
    const of = (type: string) => bucketsWith(stack.json, type);
    const versioned = new Set(resourcesOf(stack.json, 'aws_s3_bucket_versioning').filter((v) => blocks(v.body.versioning_configuration)[0]?.status === 'Enabled').map((v) => referencedAddress(v.body.bucket)));
    const expiring = new Set(
      resourcesOf(stack.json, 'aws_s3_bucket_lifecycle_configuration')
        .filter((l) => blocks(l.body.rule).some((r) => r.status === 'Enabled' && blocks(r.expiration).length > 0))
        .map((l) => referencedAddress(l.body.bucket)),
    );
    const tlsOnly = of('aws_s3_bucket_policy');
    return resourcesOf(stack.json, 'aws_s3_bucket').map(({ address }) => {
      const missing = [
        ...(tlsOnly.has(address) ? [] : ['a policy denying requests without TLS']),
        ...(versioned.has(address) ? [] : ['versioning']),
        ...(expiring.has(address) ? [] : ['an expiry rule']),
      ];
      return judge(address, missing.length > 0 ? `has no ${missing.join(', ')}` : undefined, 'TLS only, versioned, expiring');
    });
  },
};

/** Buckets whose policy denies every request made without TLS. */
function bucketsWith(json: TerraformJson, type: string): Set<string | undefined> {
  const policies = new Map(resourcesOf(json, type).map((p) => [p.address, referencedAddress(p.body.bucket)]));
  return new Set(
    iamDocuments(json, type)
      .filter(({ statements }) => (statements ?? []).some((s) => s.Effect === 'Deny' && listOf(s.Action).some((a) => a === 's3:*') && String(s.Condition?.Bool?.['aws:SecureTransport']) === 'false'))
      .map(({ address }) => policies.get(address)),
  );
}
