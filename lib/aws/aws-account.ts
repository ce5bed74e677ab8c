import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { Construct } from 'constructs';

/** Where the stack's ARNs point: its partition (aws, aws-cn, aws-us-gov) and its account id. */
export interface AwsAccount {
  readonly partition: string;
  readonly accountId: string;
}

/**
 * The account and partition the stack is applied in, read from the provider's own credentials at
 * plan time (STS GetCallerIdentity), so that no ARN of the stack has to say `*` for its account.
 */
export function awsAccount(scope: Construct, id: string): AwsAccount {
  const caller = new DataAwsCallerIdentity(scope, `${id}-caller`);
  const partition = new DataAwsPartition(scope, `${id}-partition`);
  return { partition: partition.partition, accountId: caller.accountId };
}
