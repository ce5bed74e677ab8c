import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exampleCluster, synthAws } from '../support/aws-synth';
import { addressTexts, diffAddresses as diff } from '../support/address-diff';

/** Every resource, local and output of a synthesized stack by address, as its exact JSON text. */
function addresses(patch: Parameters<typeof exampleCluster>[0]): Map<string, string> {
  return addressTexts(synthAws(exampleCluster(patch)).json);
}

describe('growing a pool changes only that pool', () => {
  const base = addresses({});

  it('an auto-scaled pool: only its group capacity changes', () => {
    const grown = addresses({ pools: { builds: { count: 9 } } });
    assert.deepEqual(diff(base, grown), { added: [], removed: [], changed: ['aws_autoscaling_group.pool-builds_group'] });
    const group = JSON.parse(grown.get('aws_autoscaling_group.pool-builds_group')!);
    assert.deepEqual([group.min_size, group.desired_capacity, group.max_size], [9, 9, 9]);
    const { min_size, max_size, desired_capacity, ...rest } = group;
    const { min_size: _a, max_size: _b, desired_capacity: _c, ...restBefore } = JSON.parse(base.get('aws_autoscaling_group.pool-builds_group')!);
    assert.deepEqual(rest, restBefore, 'nothing else in the group moves');
  });

  it('a pool with volumes: only the count in its agents map changes, which its instances, volumes and alarms iterate', () => {
    // The instance, volume and attachment are each one for_each over this map; that Terraform
    // evaluates a larger count to the same entries plus new keys is proven in
    // test/terraform/round-robin-map.test.ts.
    const grown = addresses({ pools: { 'jenkins-masters': { count: 5 } } });
    const agents = 'local.pool-jenkins-masters_agents';
    assert.deepEqual(diff(base, grown), { added: [], removed: [], changed: [agents] });
    assert.equal(grown.get(agents), base.get(agents)!.replace('range(0, 3, 1)', 'range(0, 5, 1)'));
    // Its alarms too: each new agent gets its own entries, keyed by its name, and nothing else moves.
    for (const resource of [
      'aws_instance.pool-jenkins-masters_instance',
      'aws_ebs_volume.pool-jenkins-masters_data',
      'aws_volume_attachment.pool-jenkins-masters_data-attachment',
      'aws_cloudwatch_metric_alarm.pool-jenkins-masters_alarms_system-recovery',
      'aws_cloudwatch_metric_alarm.pool-jenkins-masters_alarms_agent-health',
    ]) {
      assert.equal(JSON.parse(grown.get(resource)!).for_each, `\${${agents}}`, resource);
    }
  });

  it("adding a new pool adds only that pool, its node identity and its own group, which reaches the Jenkins masters' two ports; masters' user-data, ignored after creation, names it", () => {
    const grown = addresses({ pools: { gpu: { count: 2, size: 'g5.xlarge' } } });
    const { added, removed, changed } = diff(base, grown);
    // The masters' rendered register_agents names the new principal, for masters made from now on;
    // running masters keep their user-data (ignored after creation) and learn it from the stored
    // credentials at their next start (master-acls).
    const masters = ['aws_instance.master-1_instance', 'aws_instance.master-2_instance', 'aws_instance.master-3_instance'];
    assert.deepEqual([removed, changed], [[], masters]);
    for (const master of masters) {
      const { user_data_base64: _before, ...before } = JSON.parse(base.get(master)!);
      const { user_data_base64: _after, ...after } = JSON.parse(grown.get(master)!);
      assert.deepEqual(after, before, `${master}: only its user-data changes`);
      assert.ok(after.lifecycle.ignore_changes.includes('user_data_base64'), `${master}: Terraform ignores user-data after creation`);
    }
    assert.deepEqual(added, [
      'aws_autoscaling_group.pool-gpu_group',
      'aws_autoscaling_lifecycle_hook.pool-gpu_drain-hook',
      'aws_iam_instance_profile.identity-gpu_profile',
      'aws_iam_role.identity-gpu_role',
      'aws_iam_role_policy.identity-gpu_policy',
      'aws_launch_template.pool-gpu_launch-template',
      'aws_security_group.security-groups_tasks-gpu',
      'aws_vpc_security_group_ingress_rule.security-groups_tasks-jenkins-masters-jenkins-http-from-gpu',
      'aws_vpc_security_group_ingress_rule.security-groups_tasks-jenkins-masters-jenkins-inbound-agent-from-gpu',
    ]);
  });
});
