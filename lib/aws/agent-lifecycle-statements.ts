/** One IAM policy statement, as it appears in a policy document. */
export interface IamStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** Which Auto Scaling group an agent's statements are for, and where its ARN lives. */
export interface AgentGroupScope {
  readonly clusterName: string;
  readonly poolName: string;
  readonly region: string;
  readonly partition: string;
  readonly accountId: string;
}

/** An auto-scaled pool's group is named `<cluster>-<pool>` (auto-scaled-agent-pool.ts). */
export function agentGroupName(clusterName: string, poolName: string): string {
  return `${clusterName}-${poolName}`;
}

/**
 * What an agent of an auto-scaled pool may do to its own Auto Scaling group: find its group and
 * hook, and complete the termination lifecycle action after draining. Only on its own pool's
 * group, by exact name and by the group's `cluster` and `pool` tags; the Describe calls support
 * no resource scoping (IAM allows only "*" for them). No SetInstanceHealth: an agent whose Mesos
 * agent stays dead powers itself off (agent-lifecycle.sh) and the group's EC2 health check
 * replaces it, so no agent can mark another unhealthy.
 */
export function agentLifecycleStatements(scope: AgentGroupScope): IamStatement[] {
  const { clusterName, poolName, region, partition, accountId } = scope;
  const group = agentGroupName(clusterName, poolName);
  return [
    {
      Sid: 'AgentFindsItsGroupAndHook',
      Effect: 'Allow',
      Action: ['autoscaling:DescribeAutoScalingInstances', 'autoscaling:DescribeLifecycleHooks'],
      Resource: '*',
    },
    {
      Sid: 'AgentCompletesItsOwnGroupsHook',
      Effect: 'Allow',
      Action: ['autoscaling:CompleteLifecycleAction', 'autoscaling:RecordLifecycleActionHeartbeat'],
      Resource: `arn:${partition}:autoscaling:${region}:${accountId}:autoScalingGroup:*:autoScalingGroupName/${group}`,
      Condition: {
        StringEquals: { 'autoscaling:ResourceTag/cluster': clusterName, 'autoscaling:ResourceTag/pool': poolName },
      },
    },
  ];
}
