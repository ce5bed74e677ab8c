import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { POOL_USAGE_METRIC } from '../../lib/cloud-init/pool-usage-files';
import { checkStack, formatFinding } from '../../lib/policy';
import { exampleCluster, Resources, synthAws } from '../support/aws-synth';

const ELASTIC = { pools: { builds: { count: 6, autoscale: { min: 2, max: 20, targetPercent: 80 } } } };

function statementsOf(resources: Resources, identity: string): any[] {
  const policy = resources.aws_iam_role_policy?.[`identity-${identity}_policy`];
  return policy === undefined ? [] : JSON.parse(policy.policy).Statement;
}

describe('AWS elastic pool: bounds from the file, a target-tracking policy on the pool usage metric', () => {
  const { json } = synthAws(exampleCluster(ELASTIC));
  const { resource } = json;
  const group = resource.aws_autoscaling_group['pool-builds_group'];

  it('passes every policy rule with no suppression', () => {
    assert.deepEqual(checkStack({ name: 'ci-aws', cloud: 'aws', json }).findings.map(formatFinding), []);
  });

  it('sizes the group min and max from autoscale and starts it at count', () => {
    assert.deepEqual([group.min_size, group.desired_capacity, group.max_size], [2, 6, 20]);
  });

  it('leaves desired_capacity to the policy: Terraform ignores changes to it', () => {
    assert.deepEqual(group.lifecycle, { ignore_changes: ['desired_capacity'] });
  });

  it('tracks the pool\'s allocated CPU share in the cluster namespace, at the file\'s target, on this group', () => {
    const policies = Object.values(resource.aws_autoscaling_policy ?? {});
    assert.equal(policies.length, 1);
    const [policy] = policies as any[];
    assert.equal(policy.autoscaling_group_name, '${aws_autoscaling_group.pool-builds_group.name}');
    assert.equal(policy.policy_type, 'TargetTrackingScaling');
    const tracking = policy.target_tracking_configuration;
    assert.equal(tracking.target_value, 80);
    assert.equal(tracking.disable_scale_in, undefined, 'scale-in is on: it goes through the drain hook');
    assert.deepEqual(tracking.customized_metric_specification, {
      namespace: 'mesos-cluster/ci-aws',
      metric_name: POOL_USAGE_METRIC.name,
      metric_dimension: [{ name: POOL_USAGE_METRIC.dimension, value: 'builds' }],
      statistic: 'Average',
      unit: 'Percent',
    });
  });

  it('keeps the drain hook on the termination transition, which scale-in goes through', () => {
    const hook = resource.aws_autoscaling_lifecycle_hook['pool-builds_drain-hook'];
    assert.equal(hook.autoscaling_group_name, '${aws_autoscaling_group.pool-builds_group.name}');
    assert.equal(hook.lifecycle_transition, 'autoscaling:EC2_INSTANCE_TERMINATING');
  });

  it('lets the masters, and no other node, put metric data into the cluster namespace only', () => {
    const publishers = ['zookeeper', 'master', 'marathon', 'jenkins-masters', 'builds', 'edge'].filter((identity) =>
      statementsOf(resource, identity).some((s) => s.Sid === 'MasterPublishesPoolUsage'),
    );
    assert.deepEqual(publishers, ['master']);
    const statement = statementsOf(resource, 'master').find((s) => s.Sid === 'MasterPublishesPoolUsage');
    assert.deepEqual(statement, {
      Sid: 'MasterPublishesPoolUsage',
      Effect: 'Allow',
      Action: ['cloudwatch:PutMetricData'],
      Resource: '*',
      Condition: { StringEquals: { 'cloudwatch:namespace': 'mesos-cluster/ci-aws' } },
    });
  });

  it('gives colocated control servers the same permission, as they run the masters', () => {
    const colocated = synthAws(exampleCluster({ ...ELASTIC, colocate: true, masters: { count: 3, size: undefined }, marathon: { count: 3, size: undefined } })).json.resource;
    assert.ok(statementsOf(colocated, 'control').some((s) => s.Sid === 'MasterPublishesPoolUsage'));
  });
});

describe('AWS fixed pools: nothing of the elastic pool', () => {
  const { resource } = synthAws(exampleCluster()).json;

  it('has no scaling policy, no ignored desired capacity and no metric permission for the masters', () => {
    assert.equal(resource.aws_autoscaling_policy, undefined);
    assert.equal(resource.aws_autoscaling_group['pool-builds_group'].lifecycle, undefined);
    assert.ok(!statementsOf(resource, 'master').some((s) => s.Sid === 'MasterPublishesPoolUsage'));
  });
});
