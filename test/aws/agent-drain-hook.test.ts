import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agentLifecycleStatements } from '../../lib/aws';
import { AGENT_DRAIN_BOUND_SECONDS } from '../../lib/model';
import { exampleCluster, synthAws } from '../support/aws-synth';

const { json } = synthAws(exampleCluster({ pools: { small: { count: 2 } } }));
const resources = json.resource;
const autoScaled = ['builds', 'small'];

describe('AWS stack: agents drain before an Auto Scaling group removes them', () => {
  it('puts a termination lifecycle hook on every auto-scaled pool and none elsewhere', () => {
    const hooks = resources.aws_autoscaling_lifecycle_hook;
    assert.deepEqual(Object.keys(hooks).sort(), autoScaled.map((p) => `pool-${p}_drain-hook`));
    for (const pool of autoScaled) {
      const hook = hooks[`pool-${pool}_drain-hook`];
      assert.equal(hook.autoscaling_group_name, `\${aws_autoscaling_group.pool-${pool}_group.name}`);
      assert.equal(hook.lifecycle_transition, 'autoscaling:EC2_INSTANCE_TERMINATING');
      assert.equal(hook.default_result, 'CONTINUE', 'an agent that never answers is still removed');
      assert.equal(hook.heartbeat_timeout, AGENT_DRAIN_BOUND_SECONDS, 'the hook outlasts the longest drain');
    }
  });

  it('tags each group with the cluster and role that the policy\'s conditions name', () => {
    for (const pool of autoScaled) {
      const tags = Object.fromEntries(resources.aws_autoscaling_group[`pool-${pool}_group`].tag.map((t: any) => [t.key, t.value]));
      assert.equal(tags.cluster, 'ci-aws');
      assert.equal(tags.role, 'mesos-agent');
      assert.ok(resources.aws_autoscaling_group[`pool-${pool}_group`].name.startsWith('ci-aws-'), 'inside the policy\'s group-name pattern');
    }
  });

  it('lets the agents\' own health reports reach the group after a grace period', () => {
    for (const pool of autoScaled) {
      const group = resources.aws_autoscaling_group[`pool-${pool}_group`];
      assert.equal(group.health_check_type, 'EC2');
      assert.ok(group.health_check_grace_period > 0);
    }
  });

  it("puts the lifecycle statements in the auto-scaled pools' identities, and in no other", () => {
    const lifecycle = agentLifecycleStatements('ci-aws', 'us-east-1');
    for (const pool of autoScaled) {
      assert.deepEqual(resources.aws_launch_template[`pool-${pool}_launch-template`].iam_instance_profile, {
        name: `\${aws_iam_instance_profile.identity-${pool}_profile.name}`,
      });
    }
    for (const [name, policy] of Object.entries(resources.aws_iam_role_policy)) {
      const statements = JSON.parse((policy as { policy: string }).policy).Statement;
      const identity = name.replace(/^identity-/, '').replace(/_policy$/, '');
      const expected = autoScaled.includes(identity) ? lifecycle : [];
      assert.deepEqual(statements.filter((s: { Action: string[] }) => s.Action.some((a) => a.startsWith('autoscaling:'))), expected, name);
    }
  });
});

describe('agentLifecycleStatements', () => {
  const statements = agentLifecycleStatements('ci-aws', 'us-east-1');
  const allowed = (action: string) => statements.filter((s) => s.Action.includes(action));

  it('allows completing the lifecycle action and setting health only on this cluster\'s agent groups', () => {
    for (const action of ['autoscaling:CompleteLifecycleAction', 'autoscaling:SetInstanceHealth']) {
      const [statement, ...more] = allowed(action);
      assert.equal(more.length, 0, action);
      assert.equal(statement.Resource, 'arn:aws:autoscaling:us-east-1:*:autoScalingGroup:*:autoScalingGroupName/ci-aws-*');
      assert.deepEqual(statement.Condition, {
        StringEquals: { 'autoscaling:ResourceTag/cluster': 'ci-aws', 'autoscaling:ResourceTag/role': 'mesos-agent' },
      });
    }
  });

  it('grants "*" only to the read-only Describe calls, which IAM cannot scope', () => {
    for (const statement of statements.filter((s) => s.Resource === '*')) {
      for (const action of statement.Action) assert.match(action, /^autoscaling:Describe/);
    }
    assert.ok(statements.every((s) => s.Effect === 'Allow' && s.Action.every((a) => a.startsWith('autoscaling:'))));
  });
});
