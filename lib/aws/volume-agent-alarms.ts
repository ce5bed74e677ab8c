import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { MapTerraformIterator } from 'cdktf';
import { Construct } from 'constructs';
import { AGENT_HEALTH_METRIC, agentHealthNamespace } from '../cloud-init/agent-health-files';

export interface VolumeAgentAlarmsProps {
  readonly clusterName: string;
  readonly region: string;
  /** The pool's agents map: one alarm of each kind per key, like the instances. */
  readonly agents: MapTerraformIterator;
  /** The agent's instance id, read through the same iterator. */
  readonly instanceId: string;
  /** Tags of both alarms; each alarm's `Name` is its own name (the instance's is the agent's). */
  readonly tags: Record<string, string>;
  /** SNS topic both alarms notify, on alarm and when it is over (aws.alarmTopicArn). @default - none */
  readonly topicArn?: string;
}

/** Two failed system checks in a row (one a minute) recover the instance. */
export const RECOVERY_EVALUATION_PERIODS = 2;

/**
 * Ten minutes of an agent reporting itself unhealthy, or of silence from it, raise its alarm:
 * long enough for systemd's restarts and a node's first boot, short for a Jenkins master's host.
 */
export const HEALTH_EVALUATION_PERIODS = 10;

/**
 * Volume-backed agents are plain instances that must never be replaced on their own (their
 * data volume and fixed address are what make them): instead of an Auto Scaling group's health
 * check, each agent gets two alarms, each one `for_each` resource keyed by the agent's name.
 * - `<cluster>-<agent>-system-recovery`: EC2's own recover action when AWS's host fails
 *   (StatusCheckFailed_System); the instance keeps its id, private address, volumes and profile.
 * - `<cluster>-<agent>-agent-health`: the agent's own health (agent-health publishes it every
 *   minute); no automatic action: a Mesos agent that systemd cannot bring back is a case for
 *   an operator (docs/operations.md#when-an-agent-with-a-volume-dies), and a reboot would take
 *   the Jenkins masters with it.
 * With aws.alarmTopicArn both also notify that SNS topic, when they fire and when they clear.
 */
export class VolumeAgentAlarms extends Construct {
  constructor(scope: Construct, id: string, props: VolumeAgentAlarmsProps) {
    super(scope, id);
    const agent = props.agents.key;
    const partition = new DataAwsPartition(this, 'partition');
    const notify = props.topicArn !== undefined ? [props.topicArn] : [];
    const notifyOk = notify.length > 0 ? { okActions: notify } : {};
    const recoveryName = `${props.clusterName}-${agent}-system-recovery`;
    const healthName = `${props.clusterName}-${agent}-agent-health`;
    new CloudwatchMetricAlarm(this, 'system-recovery', {
      forEach: props.agents,
      alarmName: recoveryName,
      alarmDescription: `EC2 recovers ${agent} when its host fails; id, address and volumes stay`,
      namespace: 'AWS/EC2',
      metricName: 'StatusCheckFailed_System',
      dimensions: { InstanceId: props.instanceId },
      statistic: 'Maximum',
      period: 60,
      evaluationPeriods: RECOVERY_EVALUATION_PERIODS,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      alarmActions: [`arn:${partition.partition}:automate:${props.region}:ec2:recover`, ...notify],
      ...notifyOk,
      tags: { ...props.tags, Name: recoveryName },
    });
    new CloudwatchMetricAlarm(this, 'agent-health', {
      forEach: props.agents,
      alarmName: healthName,
      alarmDescription: `The Mesos agent ${agent} has not served for ${(HEALTH_EVALUATION_PERIODS * AGENT_HEALTH_METRIC.periodSeconds) / 60} minutes (agent-health)`,
      namespace: agentHealthNamespace(props.clusterName),
      metricName: AGENT_HEALTH_METRIC.name,
      dimensions: { [AGENT_HEALTH_METRIC.dimension]: agent },
      statistic: 'Minimum',
      period: AGENT_HEALTH_METRIC.periodSeconds,
      evaluationPeriods: HEALTH_EVALUATION_PERIODS,
      datapointsToAlarm: HEALTH_EVALUATION_PERIODS,
      comparisonOperator: 'LessThanThreshold',
      threshold: 1,
      // A stopped, hung or cut-off node publishes nothing: that is a failure too.
      treatMissingData: 'breaching',
      ...(notify.length > 0 ? { alarmActions: notify } : {}),
      ...notifyOk,
      tags: { ...props.tags, Name: healthName },
    });
  }
}
