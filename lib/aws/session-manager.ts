import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { Construct } from 'constructs';
import { NodeIdentity } from '../model';

/**
 * AWS's own policy for an instance managed by Systems Manager: what the SSM agent needs to
 * register and to carry Session Manager's shells (`ssm:UpdateInstanceInformation`,
 * `ssmmessages:CreateControlChannel` and the other channels, `ec2messages:`). Attached by ARN rather than copied inline: AWS
 * keeps it current with the agent. The policy rule iam-no-wildcard-actions judges the inline
 * statements this project writes; this managed policy names each of its actions.
 */
const SESSION_MANAGER_POLICY = 'policy/AmazonSSMManagedInstanceCore';

/** The bastion's identity, made only for Session Manager: it reads no secret. */
export const BASTION_IDENTITY: NodeIdentity = { name: 'bastion', kind: 'bastion', of: 'bastion', secrets: [] };

/** The managed policy's ARN in the stack's partition (aws, aws-cn, aws-us-gov). */
export function sessionManagerPolicyArn(scope: Construct, id: string): string {
  const partition = new DataAwsPartition(scope, id);
  return `arn:${partition.partition}:iam::aws:${SESSION_MANAGER_POLICY}`;
}
