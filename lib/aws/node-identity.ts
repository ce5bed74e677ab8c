import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import { ClusterLabels, NodeIdentity, ResolvedPool } from '../model';
import { AwsAccount } from './aws-account';
import { nodePolicyStatements } from './node-policies';
import { resourceTags } from './tags';

export interface NodeIdentityRoleProps {
  /** The cluster's name and tags, for the names and tags of its resources. */
  readonly cluster: ClusterLabels;
  /** The cluster's pools, to find the one a pool identity belongs to. */
  readonly pools: readonly ResolvedPool[];
  readonly region: string;
  readonly identity: NodeIdentity;
  /** The stack's partition and account, for the policies' ARNs. */
  readonly account: AwsAccount;
  /** An AWS-managed policy attached beside the inline one (Session Manager's, given with aws.sessionManager). @default - none */
  readonly sessionManagerPolicyArn?: string;
}

const EC2_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/**
 * What one kind of node (a quorum role, a pool, the edge or the bastion) is to AWS: an IAM role that only EC2 can
 * assume, its instance profile, and an inline policy of the statements in node-policies.ts.
 * Names `<cluster>-<identity>` fit IAM's 64 characters (28 + 1 + 32).
 */
export class NodeIdentityRole extends Construct {
  readonly role: IamRole;
  readonly profile: IamInstanceProfile;

  constructor(scope: Construct, id: string, props: NodeIdentityRoleProps) {
    super(scope, id);
    const { cluster, identity } = props;
    const name = `${cluster.name}-${identity.name}`;
    const tags = { ...resourceTags(cluster, identity.name), [identity.kind === 'pool' ? 'pool' : 'role']: identity.of };
    this.role = new IamRole(this, 'role', {
      name,
      description: `mesos-cluster ${cluster.name}: ${identity.kind} ${identity.of}`,
      assumeRolePolicy: EC2_TRUST,
      tags,
    });
    const statements = nodePolicyStatements({
      clusterName: cluster.name,
      pools: props.pools,
      sessionManager: props.sessionManagerPolicyArn !== undefined,
      region: props.region,
      identity,
      account: props.account,
    });
    if (statements.length > 0) {
      new IamRolePolicy(this, 'policy', {
        name: 'node',
        role: this.role.name,
        policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
      });
    }
    if (props.sessionManagerPolicyArn !== undefined) {
      new IamRolePolicyAttachment(this, 'session-manager', { role: this.role.name, policyArn: props.sessionManagerPolicyArn });
    }
    this.profile = new IamInstanceProfile(this, 'profile', { name, role: this.role.name, tags });
  }
}
