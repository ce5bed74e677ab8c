import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { AutoscalingLifecycleHook } from '@cdktf/provider-aws/lib/autoscaling-lifecycle-hook';
import { AutoscalingPolicy } from '@cdktf/provider-aws/lib/autoscaling-policy';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Construct } from 'constructs';
import { AGENT_DRAIN_BOUND_SECONDS, AgentPoolTopology, ClusterLabels } from '../model';
import { POOL_USAGE_METRIC, poolUsageNamespace } from '../cloud-init/pool-usage-files';
import { agentGroupName } from './agent-lifecycle-statements';
import { IMDS_V2_ONLY, launchTemplateRootAndTags } from './instance-defaults';
import { nodeTags } from './tags';
import { encodeUserData } from './user-data';

export interface AutoScaledAgentPoolProps {
  /** The cluster's name and tags, for the names and tags of its resources. */
  readonly cluster: ClusterLabels;
  /** The base image (AMI id) and its root device (`aws.rootDeviceName`). */
  readonly image: string;
  readonly rootDeviceName: string;
  readonly pool: AgentPoolTopology;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  readonly keyName: string;
  /** The pool's cloud-config document, plain text. */
  readonly userData: string;
  /** The pool's node identity: its secrets, its lifecycle action and health (node-policies.ts). */
  readonly instanceProfileName: string;
}

/** The termination hook's name; the agents find it by its transition, not by this name. */
export const DRAIN_HOOK_NAME = 'drain';

/**
 * How long after launch the group ignores failed EC2 health checks. An agent powers itself off
 * only after its readiness marker or a failed boot (agent-lifecycle), so this only guards the
 * first minutes.
 */
export const HEALTH_GRACE_SECONDS = 300;

/**
 * A pool without data volumes: a launch template and an Auto Scaling group whose size is the
 * pool's count, with a termination hook that lets each agent drain before it goes. Growing the
 * pool changes the group's capacity and nothing else. An elastic pool (`autoscale`) starts at
 * count and follows a target-tracking policy on its allocated CPU share (pool-usage-files.ts)
 * between its bounds; scale-in goes through the same termination hook, so agents drain first.
 */
export class AutoScaledAgentPool extends Construct {
  readonly group: AutoscalingGroup;

  constructor(scope: Construct, id: string, props: AutoScaledAgentPoolProps) {
    super(scope, id);
    const { cluster, pool } = props;
    const tags = nodeTags(cluster, 'mesos-agent', pool.name, pool.name);
    const template = new LaunchTemplate(this, 'launch-template', {
      namePrefix: `${cluster.name}-${pool.name}-`,
      imageId: props.image,
      instanceType: pool.size,
      keyName: props.keyName,
      vpcSecurityGroupIds: props.securityGroupIds,
      // Compressed and encoded here (user-data.ts): the text is then never a Terraform template.
      userData: encodeUserData(props.userData),
      metadataOptions: IMDS_V2_ONLY,
      iamInstanceProfile: { name: props.instanceProfileName },
      ...launchTemplateRootAndTags(props.rootDeviceName, pool.rootVolumeGiB, tags),
      // An agent that gives up on itself powers off (agent-lifecycle.sh); the instance then goes
      // instead of lingering stopped, and the group replaces it.
      instanceInitiatedShutdownBehavior: 'terminate',
      updateDefaultVersion: true,
      tags,
    });
    this.group = new AutoscalingGroup(this, 'group', {
      // Exactly the name the pool's role may act on (agent-lifecycle-statements.ts).
      name: agentGroupName(cluster.name, pool.name),
      // An elastic pool starts at count and moves between its bounds; a fixed one stays at count.
      minSize: pool.autoscale?.min ?? pool.count,
      maxSize: pool.autoscale?.max ?? pool.count,
      desiredCapacity: pool.count,
      vpcZoneIdentifier: props.subnetIds,
      // The newest template applies to new agents only: a new image never restarts running builds.
      launchTemplate: { id: template.id, version: '$Latest' },
      // EC2 status checks; an agent whose Mesos agent stays dead powers itself off, which they catch.
      healthCheckType: 'EC2',
      healthCheckGracePeriod: HEALTH_GRACE_SECONDS,
      // Rebalancing across zones would kill agents mid-build; capacity changes only by count.
      suspendedProcesses: ['AZRebalance'],
      tag: Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
      // The policy owns an elastic pool's size: a plan after it scaled must not set count back.
      ...(pool.autoscale && { lifecycle: { ignoreChanges: ['desired_capacity'] } }),
    });
    if (pool.autoscale) {
      new AutoscalingPolicy(this, 'scaling-policy', {
        name: `${cluster.name}-${pool.name}-cpu-allocated`,
        autoscalingGroupName: this.group.name,
        policyType: 'TargetTrackingScaling',
        // A new agent takes this long to boot and register; its empty CPUs count only then.
        estimatedInstanceWarmup: HEALTH_GRACE_SECONDS,
        targetTrackingConfiguration: {
          targetValue: pool.autoscale.targetPercent,
          customizedMetricSpecification: {
            namespace: poolUsageNamespace(cluster.name),
            metricName: POOL_USAGE_METRIC.name,
            metricDimension: [{ name: POOL_USAGE_METRIC.dimension, value: pool.name }],
            statistic: 'Average',
            unit: POOL_USAGE_METRIC.unit,
          },
        },
      });
    }
    // Scale-in and replacement wait in Terminating:Wait until the agent has drained (its
    // agent-lifecycle timer sees the state in instance metadata) or the timeout passes.
    new AutoscalingLifecycleHook(this, 'drain-hook', {
      name: DRAIN_HOOK_NAME,
      autoscalingGroupName: this.group.name,
      lifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      heartbeatTimeout: AGENT_DRAIN_BOUND_SECONDS,
      defaultResult: 'CONTINUE',
    });
  }
}
