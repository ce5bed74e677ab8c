import { describe, it } from 'node:test';
import { iamNoWildcardActions } from '../../../lib/policy/rules/iam-no-wildcard-actions';
import { assertFails, assertPasses } from '../../support/policy-fixtures';

const document = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });

describe('rule iam-no-wildcard-actions', () => {
  it('passes policies and policy documents that name their actions', () => {
    assertPasses(iamNoWildcardActions, {
      resource: { aws_iam_role_policy: { p: { policy: document({ Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: '${aws_cloudwatch_log_group.g.arn}' }) } } },
      data: { aws_iam_policy_document: { d: { statement: [{ actions: ['ssm:GetParameter'], resources: ['*'] }] } } },
    });
  });

  it('fails "*", "service:*" and NotAction, in resources and data documents', () => {
    assertFails(
      iamNoWildcardActions,
      {
        resource: {
          aws_iam_policy: { admin: { policy: document({ Effect: 'Allow', Action: '*', Resource: '*' }) } },
          aws_iam_role_policy: { s3: { policy: document({ Effect: 'Allow', Action: ['s3:*'], Resource: '*' }) } },
          aws_iam_role: { r: { inline_policy: [{ policy: document({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }) }] } },
        },
        data: { aws_iam_policy_document: { d: { statement: [{ actions: ['ec2:*'] }] } } },
      },
      {
        'aws_iam_policy.admin': /grants "\*"/,
        'aws_iam_role_policy.s3': /grants "s3:\*"/,
        'aws_iam_role.r': /NotAction/,
        'data.aws_iam_policy_document.d': /grants "ec2:\*"/,
      },
    );
  });
});
