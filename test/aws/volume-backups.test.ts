import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTopology } from '../../lib/model';
import { exampleCluster, synthAws } from '../support/aws-synth';

describe('AWS stack: Jenkins data pinned and backed up', () => {
  const cluster = exampleCluster({ pools: { 'jenkins-masters': { volume: { backup: { everyHours: 12, at: '01:30', keep: 14 } } } } });
  const { json } = synthAws(cluster);
  const resources = json.resource;
  const pool = buildTopology(cluster).pools.find((p) => p.name === 'jenkins-masters')!;

  it('puts each volume-backed agent at the fixed address of its agents map entry, in a control subnet, its name readable through metadata', () => {
    const instance = resources.aws_instance['pool-jenkins-masters_instance'];
    assert.equal(instance.private_ip, '${each.value.private_ip}');
    assert.equal(instance.subnet_id, '${each.value.subnet_id}');
    assert.equal(instance.tags.Name, 'ci-aws-${each.key}', 'agent-identity derives the volume attribute from it');
    assert.equal(instance.metadata_options.instance_metadata_tags, 'enabled');
    const agents = json.locals!['pool-jenkins-masters_agents'];
    const cidrs = buildTopology(cluster).zones.map((z) => JSON.stringify(z.controlCidr)).join(', ');
    assert.ok(agents.includes(`"private_ip" = cidrhost(element([${cidrs}], val), (${pool.firstHost} + floor((val / 3))))`), agents);
    for (const zone of ['us-east-1a', 'us-east-1b', 'us-east-1c']) assert.ok(agents.includes(`aws_subnet.network_control-${zone}.id`), zone);
    assert.ok(pool.agents.every((a) => a.privateIp !== undefined));
  });

  it('snapshots the pool volumes with a Data Lifecycle Manager policy selecting them by tag, on the file schedule', () => {
    const policies = Object.values(resources.aws_dlm_lifecycle_policy);
    assert.equal(policies.length, 1, 'one policy per pool with volumes');
    const details = policies[0].policy_details;
    assert.deepEqual(details.resource_types, ['VOLUME']);
    assert.deepEqual(details.target_tags, { cluster: 'ci-aws', pool: 'jenkins-masters', backup: 'true' });
    const volume = resources.aws_ebs_volume['pool-jenkins-masters_data'];
    for (const [key, value] of Object.entries(details.target_tags)) assert.equal(volume.tags[key], value, `volumes carry ${key}`);
    assert.deepEqual(details.schedule[0].create_rule, { interval: 12, interval_unit: 'HOURS', times: ['01:30'] });
    assert.deepEqual(details.schedule[0].retain_rule, { count: 14 });
    assert.equal(policies[0].state, 'ENABLED');
  });

  it("runs DLM under its own role: trusted by dlm.amazonaws.com for this account's policies only, with the AWS managed DLM policy and no action of its own", () => {
    const partition = '${data.aws_partition.account-partition.partition}';
    const account = '${data.aws_caller_identity.account-caller.account_id}';
    const [trust, ...more] = JSON.parse(resources.aws_iam_role['volume-backups_role'].assume_role_policy).Statement;
    assert.equal(more.length, 0);
    assert.deepEqual([trust.Effect, trust.Principal, trust.Action], ['Allow', { Service: 'dlm.amazonaws.com' }, 'sts:AssumeRole']);
    assert.deepEqual(trust.Condition, {
      StringEquals: { 'aws:SourceAccount': account },
      ArnLike: { 'aws:SourceArn': `arn:${partition}:dlm:us-east-1:${account}:policy/*` },
    });
    const attachments = Object.values(resources.aws_iam_role_policy_attachment).filter((a) => a.role.includes('volume-backups'));
    assert.equal(attachments.length, 1);
    assert.match(attachments[0].policy_arn, /:iam::aws:policy\/service-role\/AWSDataLifecycleManagerServiceRole$/);
    assert.equal(Object.values(resources.aws_iam_role_policy ?? {}).filter((p) => p.role?.includes('volume-backups')).length, 0);
  });
});
