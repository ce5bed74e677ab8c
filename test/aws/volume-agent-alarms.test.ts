import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exampleCluster, synthAws } from '../support/aws-synth';

const AGENTS = '${local.pool-jenkins-masters_agents}';

describe('volume-backed agents: EC2 recovery and their own health as alarms, one for_each each', () => {
  const { json } = synthAws(exampleCluster());
  const alarms = json.resource.aws_cloudwatch_metric_alarm;

  it('has exactly two alarm resources, both for the pool with volumes, keyed by agent name like its instances', () => {
    assert.deepEqual(Object.keys(alarms).sort(), ['pool-jenkins-masters_alarms_agent-health', 'pool-jenkins-masters_alarms_system-recovery']);
    for (const alarm of Object.values(alarms)) {
      assert.equal(alarm.for_each, AGENTS);
      assert.equal(alarm.for_each, json.resource.aws_instance['pool-jenkins-masters_instance'].for_each);
    }
    // The auto-scaled pool's health goes to its group instead.
    assert.ok(Object.values(alarms).every((a) => !JSON.stringify(a).includes('builds')));
  });

  it("recovers the agent's own instance when AWS's host fails: the recover action, on that instance's system status check", () => {
    const alarm = alarms['pool-jenkins-masters_alarms_system-recovery'];
    assert.equal(alarm.alarm_name, 'ci-aws-${each.key}-system-recovery');
    assert.equal(alarm.namespace, 'AWS/EC2');
    assert.equal(alarm.metric_name, 'StatusCheckFailed_System');
    assert.deepEqual(alarm.dimensions, { InstanceId: '${aws_instance.pool-jenkins-masters_instance[each.key].id}' });
    assert.deepEqual([alarm.statistic, alarm.comparison_operator, alarm.threshold, alarm.period, alarm.evaluation_periods], ['Maximum', 'GreaterThanOrEqualToThreshold', 1, 60, 2]);
    assert.deepEqual(alarm.alarm_actions, ['arn:${data.aws_partition.pool-jenkins-masters_alarms_partition.partition}:automate:us-east-1:ec2:recover']);
    assert.ok(json.data?.aws_partition?.['pool-jenkins-masters_alarms_partition']);
  });

  it("watches the metric the agent publishes, by the agent's name, and counts silence as failure; no automatic action", () => {
    const alarm = alarms['pool-jenkins-masters_alarms_agent-health'];
    assert.equal(alarm.alarm_name, 'ci-aws-${each.key}-agent-health');
    assert.equal(alarm.namespace, 'mesos-cluster/ci-aws');
    assert.equal(alarm.metric_name, 'AgentHealthy');
    assert.deepEqual(alarm.dimensions, { Agent: '${each.key}' });
    assert.deepEqual([alarm.statistic, alarm.comparison_operator, alarm.threshold, alarm.period], ['Minimum', 'LessThanThreshold', 1, 60]);
    assert.deepEqual([alarm.evaluation_periods, alarm.datapoints_to_alarm], [10, 10]);
    assert.equal(alarm.treat_missing_data, 'breaching');
    assert.equal(alarm.alarm_actions, undefined, 'a reboot would take the Jenkins masters down with it');
    assert.equal(alarm.tags.pool, 'jenkins-masters');
  });

  it("names each alarm in its Name tag, never the agent's own name, which only its instance carries", () => {
    for (const alarm of Object.values(alarms)) assert.equal(alarm.tags.Name, alarm.alarm_name);
  });

  it("lets the pool's agents publish into the cluster's namespace only, and no other node at all", () => {
    const statementsOf = (identity: string) => JSON.parse(json.resource.aws_iam_role_policy[`identity-${identity}_policy`]?.policy ?? '{"Statement":[]}').Statement;
    const publish = statementsOf('jenkins-masters').filter((s: { Action: string[] }) => s.Action.includes('cloudwatch:PutMetricData'));
    assert.deepEqual(publish, [
      {
        Sid: 'AgentPublishesItsHealth',
        Effect: 'Allow',
        Action: ['cloudwatch:PutMetricData'],
        Resource: '*',
        Condition: { StringEquals: { 'cloudwatch:namespace': 'mesos-cluster/ci-aws' } },
      },
    ]);
    for (const identity of ['zookeeper', 'master', 'marathon', 'builds', 'edge']) {
      assert.ok(!JSON.stringify(statementsOf(identity)).includes('cloudwatch:'), identity);
    }
  });

  it('a cluster without a pool with volumes has no alarm', () => {
    const { json: plain } = synthAws(exampleCluster({ pools: { 'jenkins-masters': { volume: undefined } } }));
    assert.equal(plain.resource.aws_cloudwatch_metric_alarm, undefined);
  });
});

describe('aws.alarmTopicArn: the volume-backed agents’ alarms notify a topic', () => {
  const topic = 'arn:aws:sns:us-east-1:123456789012:ci-oncall';

  it('both alarms notify it when they fire and when they clear; recovery still recovers', () => {
    const alarms = synthAws(exampleCluster({ aws: { alarmTopicArn: topic } })).json.resource.aws_cloudwatch_metric_alarm;
    const recovery = alarms['pool-jenkins-masters_alarms_system-recovery'];
    assert.equal(recovery.alarm_actions.length, 2);
    assert.match(recovery.alarm_actions[0], /:automate:us-east-1:ec2:recover$/);
    assert.equal(recovery.alarm_actions[1], topic);
    assert.deepEqual(recovery.ok_actions, [topic]);
    const health = alarms['pool-jenkins-masters_alarms_agent-health'];
    assert.deepEqual([health.alarm_actions, health.ok_actions], [[topic], [topic]]);
  });

  it('without it, neither alarm has an OK action', () => {
    const alarms = synthAws(exampleCluster()).json.resource.aws_cloudwatch_metric_alarm;
    for (const alarm of Object.values(alarms)) assert.equal(alarm.ok_actions, undefined);
  });

  it('refuses, when the cluster file is loaded, a topic of another region, and one that is not an SNS topic ARN', () => {
    assert.throws(
      () => exampleCluster({ aws: { alarmTopicArn: topic.replace('us-east-1', 'eu-west-1') } }),
      (error: Error) => {
        assert.equal(
          error.message,
          'ci-aws.yaml: aws.alarmTopicArn: the SNS topic is in eu-west-1, but CloudWatch alarms notify topics of their own region only, us-east-1 (aws.region): create the topic in us-east-1',
        );
        return true;
      },
    );
    assert.throws(() => exampleCluster({ aws: { alarmTopicArn: 'arn:aws:sqs:us-east-1:123456789012:queue' } }), /ci-aws\.yaml: aws\.alarmTopicArn: /);
  });
});
