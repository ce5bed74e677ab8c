import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { awsCertificateProblems } from '../../lib/aws/certificate-region';
import { exampleCluster } from '../support/aws-synth';

const arn = (region: string) => `arn:aws:acm:${region}:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`;

describe('AWS: the UI certificate', () => {
  it('accepts an ACM certificate of aws.region and an IAM server certificate', () => {
    assert.deepEqual(awsCertificateProblems({ aws: { region: 'us-east-1', certificateArn: arn('us-east-1') } }), []);
    assert.deepEqual(awsCertificateProblems({ aws: { region: 'us-east-1', certificateArn: 'arn:aws:iam::123456789012:server-certificate/ui' } }), []);
  });

  it('refuses, when the cluster file is loaded, an ACM certificate from another region, naming both regions', () => {
    assert.throws(
      () => exampleCluster({ aws: { certificateArn: arn('eu-west-1') } }),
      (error: Error) => {
        assert.equal(
          error.message,
          'ci-aws.yaml: aws.certificateArn: the ACM certificate is in eu-west-1, but the load balancer runs in us-east-1 (aws.region): request or import the certificate in us-east-1',
        );
        return true;
      },
    );
  });
});
