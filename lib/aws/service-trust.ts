import { AwsAccount } from './aws-account';

/**
 * A trust policy that lets one AWS service assume a role, and only while acting for this
 * account's own resources of the given kind (`aws:SourceAccount`, `aws:SourceArn`): another
 * account cannot point the service at the role (the confused-deputy problem).
 */
export function serviceTrustPolicy(service: string, account: AwsAccount, sourceArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': account.accountId },
          ArnLike: { 'aws:SourceArn': sourceArn },
        },
      },
    ],
  });
}
