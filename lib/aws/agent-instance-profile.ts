import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { IamStatement } from './agent-lifecycle-statements';

export interface AgentInstanceProfileProps {
  readonly clusterName: string;
  readonly statements: readonly IamStatement[];
  readonly tags: Record<string, string>;
}

/**
 * The instance profile of auto-scaled agents: a role EC2 may assume with one inline policy.
 * Stands in until per-role instance profiles (issue #6) hold these statements in their table.
 */
export class AgentInstanceProfile extends Construct {
  readonly profile: IamInstanceProfile;

  constructor(scope: Construct, id: string, props: AgentInstanceProfileProps) {
    super(scope, id);
    const role = new IamRole(this, 'role', {
      namePrefix: `${props.clusterName}-agent-`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
      tags: props.tags,
    });
    new IamRolePolicy(this, 'policy', {
      role: role.id,
      name: 'agent-lifecycle',
      policy: JSON.stringify({ Version: '2012-10-17', Statement: props.statements }),
    });
    this.profile = new IamInstanceProfile(this, 'profile', { namePrefix: `${props.clusterName}-agent-`, role: role.name, tags: props.tags });
  }
}
