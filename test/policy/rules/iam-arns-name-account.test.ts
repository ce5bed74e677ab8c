import { describe, it } from 'node:test';
import { iamArnsNameAccount } from '../../../lib/policy/rules/iam-arns-name-account';
import { assertFails, assertPasses } from '../../support/policy-fixtures';

const document = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
const ACCOUNT = '${data.aws_caller_identity.account-caller.account_id}';

describe('rule iam-arns-name-account', () => {
  it("passes ARNs that name the account (or have none, as S3's), in resources and conditions", () => {
    assertPasses(iamArnsNameAccount, {
      resource: {
        aws_iam_role_policy: {
          p: {
            policy: document({
              Effect: 'Allow',
              Action: ['kms:Decrypt'],
              Resource: [`arn:aws:kms:us-east-1:${ACCOUNT}:key/*`, 'arn:aws:s3:::bucket/*'],
              Condition: { StringLike: { 'kms:EncryptionContext:PARAMETER_ARN': [`arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/x`] } },
            }),
          },
        },
      },
    });
  });

  it('fails "*" for the account in a Resource and in a trust condition', () => {
    assertFails(
      iamArnsNameAccount,
      {
        resource: {
          aws_iam_role_policy: { p: { policy: document({ Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: 'arn:aws:ssm:us-east-1:*:parameter/x' }) } },
          aws_iam_role: { r: { assume_role_policy: document({ Effect: 'Allow', Principal: { Service: 'dlm.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:dlm:us-east-1:*:policy/*' } } }) } },
        },
      },
      { 'aws_iam_role_policy.p': /any account: arn:aws:ssm:us-east-1:\*:parameter\/x/, 'aws_iam_role.r': /arn:aws:dlm:us-east-1:\*/ },
    );
  });
});
