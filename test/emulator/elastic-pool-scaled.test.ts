import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { motoQuery } from '../../lib/emulator/moto-query';
import { motoUnavailable } from '../../lib/emulator/moto-server';
import { classifyPlan } from '../../lib/plan/cluster-resources';
import { isNoOp } from '../../lib/plan/plan-summary';
import { summaryText } from '../../lib/plan/summary-markdown';
import { cutDownStack } from '../support/cut-down-stack';
import { EmulatedCluster, ScenarioPlan } from '../support/emulated-cluster';
import { offlineTerraformUnavailable } from '../support/offline-terraform';
import { cutStateToStack } from '../support/state-cut-to-stack';
import { assertToolAvailable, gateOn } from '../support/tool-gate';

const missing = offlineTerraformUnavailable() ?? motoUnavailable();

const GROUP = 'ci-aws-builds';
/** The group's resource name in the synthesized stack. */
const GROUP_RESOURCE = 'pool-builds_group';
const ELASTIC = { pools: { builds: { count: 2, size: 'c5.2xlarge', docker: true, autoscale: { min: 1, max: 6 } } } };

/** `address: attribute` of every attribute the plan changes, to say what a plan that is not a no-op would do. */
function changedAttributes(plan: ScenarioPlan): string[] {
  return classifyPlan(plan.plan!)
    .filter((r) => r.effect !== 'none')
    .flatMap(({ change }) => {
      const [before, after] = [change.change.before ?? {}, change.change.after ?? {}];
      const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
      return keys.map((k) => `${change.address}: ${k} ${JSON.stringify(before[k])} -> ${JSON.stringify(after[k])}`);
    });
}

/**
 * The elastic stack cut down (test/support/cut-down-stack.ts) to the builds pool's group, what
 * reads it (its scaling policy and drain hook), what the stack's locals name (the control
 * subnets) and what they all use: 15 of the example's 148 resources. Every claim here is about
 * the group; each Terraform command then plans, refreshes and shows a tenth of the stack (the
 * whole example's no-op refresh is test/emulator/pull-request-scenarios' claim).
 */
function elasticStack(full: string): string {
  const locals = JSON.stringify(JSON.parse(readFileSync(join(full, 'cdk.tf.json'), 'utf8')).locals ?? {});
  return cutDownStack(
    full,
    (type, name, block) => (type === 'aws_autoscaling_group' && name === GROUP_RESOURCE) || JSON.stringify(block).includes(`aws_autoscaling_group.${GROUP_RESOURCE}.`) || locals.includes(`${type}.${name}.`),
  );
}

/** The elastic stack as it would be without `ignore_changes`: what the test must be able to tell apart. */
function withoutIgnoredCapacity(stackDir: string): string {
  const copy = join(mkdtempSync(join(tmpdir(), 'mesos-cluster-elastic-')), 'stack');
  cpSync(stackDir, copy, { recursive: true });
  const file = join(copy, 'cdk.tf.json');
  const config = JSON.parse(readFileSync(file, 'utf8'));
  delete config.resource.aws_autoscaling_group[GROUP_RESOURCE].lifecycle;
  writeFileSync(file, JSON.stringify(config));
  return copy;
}

// The example with an elastic builds pool applied to moto, then scaled through the API as its
// policy would; plans after that must leave the group's size alone.
describe('elastic pool: a plan after the group scaled changes nothing of its size (moto)', gateOn(missing), () => {
  let cluster: EmulatedCluster;
  let elastic: string;

  /** One call of moto's Auto Scaling query API, its XML answer: a request, where the AWS CLI would start Python. */
  const autoscaling = (action: string, params: Record<string, string>): Promise<string> => motoQuery(cluster.endpoint, 'autoscaling', '2011-01-01', action, params);
  /** The text of each `<name>` element, in order. */
  const elements = (xml: string, name: string): string[] => [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1]);

  before(async () => {
    assertToolAvailable(missing);
    // The example as applied once for every emulator file, cut down with its stack to the builds
    // pool's group; only the pool's changes (the group, its new policy) are applied here, without
    // reading back the rest first: the state was just restored, and the plans below read it all
    // back. Its Terraform runs, one at a time, share one provider process
    // (test/support/reattached-provider.ts).
    cluster = await EmulatedCluster.applied({ reattachProvider: true, endpointsFromEnvironment: true });
    elastic = elasticStack(EmulatedCluster.synth(ELASTIC));
    cutStateToStack(cluster.workspaceWith(elastic).dir);
    await cluster.apply(['-refresh=false']);
    await autoscaling('SetDesiredCapacity', { AutoScalingGroupName: GROUP, DesiredCapacity: '5' });
  });

  after(async () => {
    await cluster?.stop();
  });

  it('the applied group has the file\'s bounds and its tracking policy, and the API scaled it to 5', async () => {
    const groups = await autoscaling('DescribeAutoScalingGroups', { 'AutoScalingGroupNames.member.1': GROUP });
    assert.deepEqual(elements(groups, 'AutoScalingGroupName'), [GROUP]);
    assert.deepEqual(['MinSize', 'DesiredCapacity', 'MaxSize'].map((name) => elements(groups, name).map(Number)), [[1], [5], [6]]);
    const policies = await autoscaling('DescribePolicies', { AutoScalingGroupName: GROUP });
    assert.deepEqual(elements(policies, 'PolicyType'), ['TargetTrackingScaling']);
  });

  // Plans only, each in its own copy of the scaled state, two at a time.
  describe('plans against the scaled group', { concurrency: 2 }, () => {
    it('plans no change at all on the stack cut to the group (state read back from moto), and the pull-request check passes', async () => {
      const plan = await cluster.plan(elastic, { refresh: true });
      assert.ok(isNoOp(plan.summary), `${summaryText(plan.summary)}\n${changedAttributes(plan).join('\n')}`);
      const group = classifyPlan(plan.plan!).find((r) => r.what.kind === 'agent-group' && r.what.pool === 'builds')!;
      assert.equal(group.change.change.before?.desired_capacity, 5);
      assert.equal(group.effect, 'none', JSON.stringify(group.change.change));
      assert.deepEqual(plan.findings(), []);
      assert.deepEqual(plan.summary.pools.find((p) => p.pool === 'builds')?.agentsAfter, 5);
    });

    it('without ignore_changes the same plan would set the group back to count: the no-op above is the lifecycle\'s doing', async () => {
      // Only the group (and what it refers to) read back from moto: the other resources have no say in the group's change.
      const plan = await cluster.plan(withoutIgnoredCapacity(elastic), { refresh: true, planArgs: [`-target=aws_autoscaling_group.${GROUP_RESOURCE}`] });
      const group = classifyPlan(plan.plan!).find((r) => r.what.kind === 'agent-group' && r.what.pool === 'builds')!;
      assert.equal(group.effect, 'update');
      assert.equal(group.change.change.after?.desired_capacity, 2);
    });
  });
});
