import { describe, it } from 'node:test';
import { serviceTrustSourceConditions } from '../../../lib/policy/rules/service-trust-source-conditions';
import { assertFails, assertPasses } from '../../support/policy-fixtures';

const trust = (service: string, condition?: object) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole', ...(condition && { Condition: condition }) }] });
const bound = { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: { 'aws:SourceArn': 'arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/*' } };

describe('rule service-trust-source-conditions', () => {
  it('passes a service trust bound to its source account and ARN; EC2 instance roles are not judged', () => {
    const results = assertPasses(serviceTrustSourceConditions, {
      resource: { aws_iam_role: { flow: { assume_role_policy: trust('vpc-flow-logs.amazonaws.com', bound) }, node: { assume_role_policy: trust('ec2.amazonaws.com') } } },
    });
    if (!results.some((r) => r.resource === 'aws_iam_role.node' && r.outcome === 'not-applicable')) throw new Error('EC2 trust was judged');
  });

  it('fails a service trust without conditions, and one with the account only', () => {
    assertFails(
      serviceTrustSourceConditions,
      {
        resource: {
          aws_iam_role: {
            dlm: { assume_role_policy: trust('dlm.amazonaws.com') },
            half: { assume_role_policy: trust('vpc-flow-logs.amazonaws.com', { StringEquals: bound.StringEquals }) },
          },
        },
      },
      { 'aws_iam_role.dlm': /trusts dlm.amazonaws.com without aws:SourceAccount and aws:SourceArn/, 'aws_iam_role.half': /vpc-flow-logs/ },
    );
  });
});
