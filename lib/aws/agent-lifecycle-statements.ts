/** One IAM policy statement, as it appears in a policy document. */
export interface IamStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/**
 * What an agent of an auto-scaled pool may do to its own Auto Scaling group: find its group and
 * hook, complete the termination lifecycle action after draining, and report itself unhealthy
 * when its Mesos agent stays dead. Scoped to this cluster's agent groups by their tags; the
 * Describe calls support no resource scoping (IAM allows only "*" for them).
 */
export function agentLifecycleStatements(clusterName: string, region: string): IamStatement[] {
  return [
    {
      Sid: 'AgentFindsItsGroupAndHook',
      Effect: 'Allow',
      Action: ['autoscaling:DescribeAutoScalingInstances', 'autoscaling:DescribeLifecycleHooks'],
      Resource: '*',
    },
    {
      Sid: 'AgentDrainsAndReportsHealthInItsGroup',
      Effect: 'Allow',
      Action: ['autoscaling:CompleteLifecycleAction', 'autoscaling:RecordLifecycleActionHeartbeat', 'autoscaling:SetInstanceHealth'],
      Resource: `arn:aws:autoscaling:${region}:*:autoScalingGroup:*:autoScalingGroupName/${clusterName}-*`,
      Condition: {
        StringEquals: { 'autoscaling:ResourceTag/cluster': clusterName, 'autoscaling:ResourceTag/role': 'mesos-agent' },
      },
    },
  ];
}
