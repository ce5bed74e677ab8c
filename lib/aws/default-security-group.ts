import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Construct } from 'constructs';

export interface ClosedDefaultSecurityGroupProps {
  readonly vpcId: string;
  readonly tags: Record<string, string>;
}

/**
 * Takes over the VPC's default security group with no ingress and no egress block, which makes
 * Terraform remove every rule AWS put in it: anything launched without a group is cut off.
 */
export function closedDefaultSecurityGroup(scope: Construct, id: string, props: ClosedDefaultSecurityGroupProps): DefaultSecurityGroup {
  return new DefaultSecurityGroup(scope, id, { vpcId: props.vpcId, tags: props.tags });
}
