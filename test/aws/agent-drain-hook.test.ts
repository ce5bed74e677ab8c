import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agentLifecycleStatements } from '../../lib/aws';
import { AGENT_DRAIN_BOUND_SECONDS } from '../../lib/model';
import { exampleCluster, synthAws } from '../support/aws-synth';

const { json } = synthAws(exampleCluster({ pools: { small: { count: 2 } } }));
const resources = json.resource;
const autoScaled = ['builds', 'small'];
const SCOPE = { clusterName: 'ci-aws', region: 'us-east-1', partition: 'aws', accountId: '123456789012' };
/** In the stack the partition and account are the data sources' (lib/aws/aws-account.ts). */
const STACK_SCOPE = { ...SCOPE, partition: '${data.aws_partition.account-partition.partition}', accountId: '${data.aws_caller_identity.account-caller.account_id}' };

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

  it("names and tags each group exactly as its pool's policy names it", () => {
    for (const pool of autoScaled) {
      const group = resources.aws_autoscaling_group[`pool-${pool}_group`];
      const tags = Object.fromEntries(group.tag.map((t: any) => [t.key, t.value]));
      assert.deepEqual([tags.cluster, tags.pool], ['ci-aws', pool]);
      assert.equal(group.name, `ci-aws-${pool}`);
    }
  });

  it('replaces an agent that powers itself off: it terminates, and EC2 health checks count after a grace period', () => {
    for (const pool of autoScaled) {
      const group = resources.aws_autoscaling_group[`pool-${pool}_group`];
      assert.equal(group.health_check_type, 'EC2');
      assert.ok(group.health_check_grace_period > 0);
      assert.equal(resources.aws_launch_template[`pool-${pool}_launch-template`].instance_initiated_shutdown_behavior, 'terminate');
    }
  });

  it("puts each auto-scaled pool's own lifecycle statements in its identity, and in no other", () => {
    for (const pool of autoScaled) {
      assert.deepEqual(resources.aws_launch_template[`pool-${pool}_launch-template`].iam_instance_profile, {
        name: `\${aws_iam_instance_profile.identity-${pool}_profile.name}`,
      });
    }
    for (const [name, policy] of Object.entries(resources.aws_iam_role_policy)) {
      const statements = JSON.parse((policy as { policy: string }).policy).Statement;
      const identity = name.replace(/^identity-/, '').replace(/_policy$/, '');
      const expected = autoScaled.includes(identity) ? agentLifecycleStatements({ ...STACK_SCOPE, poolName: identity }) : [];
      assert.deepEqual(statements.filter((s: { Action: string[] }) => s.Action.some((a) => a.startsWith('autoscaling:'))), expected, name);
    }
  });
});

describe('agentLifecycleStatements', () => {
  const statements = agentLifecycleStatements({ ...SCOPE, poolName: 'builds' });
  const allowed = (action: string) => statements.filter((s) => s.Action.includes(action));

  it("allows completing the lifecycle action only on the pool's own group, by exact name and by its cluster and pool tags", () => {
    for (const action of ['autoscaling:CompleteLifecycleAction', 'autoscaling:RecordLifecycleActionHeartbeat']) {
      const [statement, ...more] = allowed(action);
      assert.equal(more.length, 0, action);
      assert.equal(statement.Resource, 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:*:autoScalingGroupName/ci-aws-builds');
      assert.deepEqual(statement.Condition, {
        StringEquals: { 'autoscaling:ResourceTag/cluster': 'ci-aws', 'autoscaling:ResourceTag/pool': 'builds' },
      });
    }
  });

  it('allows no health report and nothing that changes another group', () => {
    assert.deepEqual(allowed('autoscaling:SetInstanceHealth'), []);
    const writes = statements.flatMap((s) => s.Action).filter((a) => !a.startsWith('autoscaling:Describe'));
    assert.deepEqual(writes.sort(), ['autoscaling:CompleteLifecycleAction', 'autoscaling:RecordLifecycleActionHeartbeat']);
  });

  it('grants "*" only to the read-only Describe calls, which IAM cannot scope', () => {
    for (const statement of statements.filter((s) => s.Resource === '*')) {
      for (const action of statement.Action) assert.match(action, /^autoscaling:Describe/);
    }
    assert.ok(statements.every((s) => s.Effect === 'Allow' && s.Action.every((a) => a.startsWith('autoscaling:'))));
  });
});
