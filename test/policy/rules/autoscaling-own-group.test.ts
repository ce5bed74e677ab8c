import { describe, it } from 'node:test';
import { autoscalingOwnGroup } from '../../../lib/policy/rules/autoscaling-own-group';
import { assertFails, assertPasses } from '../../support/policy-fixtures';

const GROUP = 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:*:autoScalingGroupName';
const document = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const complete = { Effect: 'Allow', Action: ['autoscaling:CompleteLifecycleAction'] };
const byPool = { StringEquals: { 'autoscaling:ResourceTag/pool': 'builds' } };

describe('rule autoscaling-own-group', () => {
  it('passes a lifecycle statement on one group by exact name and pool tag, and "*" only for Describe calls', () => {
    assertPasses(autoscalingOwnGroup, {
      resource: {
        aws_iam_role_policy: {
          builds: {
            policy: document(
              { Effect: 'Allow', Action: ['autoscaling:DescribeAutoScalingInstances'], Resource: '*' },
              { ...complete, Resource: `${GROUP}/ci-builds`, Condition: byPool },
            ),
          },
        },
      },
    });
  });

  it('fails a group-name wildcard, a "*" resource and a statement without the pool tag', () => {
    assertFails(
      autoscalingOwnGroup,
      {
        resource: {
          aws_iam_role_policy: {
            pattern: { policy: document({ ...complete, Resource: `${GROUP}/ci-*`, Condition: byPool }) },
            everything: { policy: document({ Effect: 'Allow', Action: ['autoscaling:SetInstanceHealth'], Resource: '*' }) },
            untagged: { policy: document({ ...complete, Resource: `${GROUP}/ci-builds`, Condition: { StringEquals: { 'autoscaling:ResourceTag/cluster': 'ci' } } }) },
          },
        },
      },
      {
        'aws_iam_role_policy.pattern': /acts on \["arn:.*ci-\*"\]/,
        'aws_iam_role_policy.everything': /acts on \["\*"\]/,
        'aws_iam_role_policy.untagged': /no autoscaling:ResourceTag\/pool condition/,
      },
    );
  });
});
