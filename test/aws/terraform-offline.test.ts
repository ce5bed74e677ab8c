import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { renderPoolUserData, renderServerUserData } from '../../lib/cloud-init';
import { decodeUserData } from '../../lib/aws/user-data';
import { buildTopology } from '../../lib/model';
import { exampleCluster, Resources, synthAwsToDisk } from '../support/aws-synth';
import {
  offlineTerraformUnavailable,
  PlannedChange,
  prepareOfflineWorkspace,
  terraformPlan,
  terraformValidate,
} from '../support/offline-terraform';
import { ReattachedProvider, startReattachedProvider } from '../support/reattached-provider';
import { assertToolAvailable, gateOn } from '../support/tool-gate';

const missing = offlineTerraformUnavailable();

describe('the synthesized AWS stack under real Terraform and AWS provider 5.100', gateOn(missing), () => {
  let changes: PlannedChange[] = [];
  let validation: ReturnType<typeof terraformValidate>;
  let synthesized: Resources = {};
  const cluster = exampleCluster();
  let provider: ReattachedProvider | undefined;

  before(async () => {
    assertToolAvailable(missing);
    const stackDir = synthAwsToDisk(cluster);
    synthesized = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')).resource;
    const workspace = prepareOfflineWorkspace(stackDir);
    // One provider process for validate, plan and show, instead of one (or three) per command.
    provider = await startReattachedProvider(workspace.dir, workspace.env);
    const attached = { dir: workspace.dir, env: { ...workspace.env, ...provider.env } };
    validation = terraformValidate(attached);
    changes = terraformPlan(attached).resource_changes;
  });
  after(async () => {
    await provider?.stop();
  });

  it('passes terraform validate with no errors or warnings', () => {
    assert.equal(validation.valid, true, JSON.stringify(validation.diagnostics, null, 2));
    assert.deepEqual(validation.diagnostics, []);
  });

  it('plans only creations: each synthesized resource once (at least once with count or for_each), nothing else', () => {
    const plannedPerResource = new Map<string, number>();
    for (const change of changes) {
      assert.deepEqual(change.change.actions, ['create'], change.address);
      const resource = `${change.type}.${change.name}`;
      plannedPerResource.set(resource, (plannedPerResource.get(resource) ?? 0) + 1);
    }
    const expected = Object.entries(synthesized).flatMap(([type, blocks]) =>
      Object.entries(blocks).map(([name, body]) => ({ resource: `${type}.${name}`, repeated: 'count' in body || 'for_each' in body })),
    );
    assert.ok(expected.length > 50, `only ${expected.length} synthesized resources`);
    for (const { resource, repeated } of expected) {
      const planned = plannedPerResource.get(resource) ?? 0;
      if (repeated) assert.ok(planned >= 1, `${resource}: planned ${planned} times`);
      else assert.equal(planned, 1, `${resource}: planned ${planned} times`);
    }
    const unknown = [...plannedPerResource.keys()].filter((resource) => !expected.some((e) => e.resource === resource));
    assert.deepEqual(unknown, [], 'planned changes with no synthesized resource');
  });

  it('plans nine quorum servers, three Jenkins-master agents with volumes, one build group and the edge group', () => {
    const servers = buildTopology(cluster).servers.map((server) => `aws_instance.${server.name}_instance`);
    assert.equal(servers.length, 9, servers.join(' '));
    const addresses = changes.map((c) => c.address);
    for (const address of servers) assert.ok(addresses.includes(address), `${address} missing from ${addresses.join(' ')}`);
    for (const role of ['zookeeper', 'master', 'marathon']) {
      assert.equal(servers.filter((address) => address.startsWith(`aws_instance.${role}-`)).length, 3, role);
    }
    assert.equal(changes.filter((c) => c.type === 'aws_ebs_volume').length, 3);
    assert.equal(changes.filter((c) => c.type === 'aws_volume_attachment').length, 3);
    assert.equal(changes.filter((c) => c.address.startsWith('aws_instance.pool-')).length, 3);
    const group = changes.find((c) => c.address === 'aws_autoscaling_group.pool-builds_group');
    assert.equal(group?.change.after.desired_capacity, 6);
    assert.equal(changes.find((c) => c.address === 'aws_autoscaling_group.edge_group')?.change.after.desired_capacity, 2);
    assert.equal(changes.filter((c) => c.type === 'aws_dlm_lifecycle_policy').length, 1);
  });

  it('plans an instance, a volume in its zone and an attachment for each Jenkins-master agent, keyed by its name', () => {
    const pool = buildTopology(cluster).pools.find((p) => p.name === 'jenkins-masters')!;
    for (const agent of pool.agents) {
      const key = `["${agent.name}"]`;
      const volume = changes.find((c) => c.address === `aws_ebs_volume.pool-jenkins-masters_data${key}`);
      assert.equal(volume?.change.after.availability_zone, agent.zone.zone, agent.name);
      const instance = changes.find((c) => c.address === `aws_instance.pool-jenkins-masters_instance${key}`);
      assert.equal(instance?.change.after.tags.Name, `ci-aws-${agent.name}`);
      assert.ok(changes.some((c) => c.address === `aws_volume_attachment.pool-jenkins-masters_data-attachment${key}`), agent.name);
    }
  });

  it('keeps the quorum servers at their fixed addresses', () => {
    const topology = buildTopology(cluster);
    for (const server of topology.servers) {
      const planned = changes.find((c) => c.address === `aws_instance.${server.name}_instance`);
      assert.equal(planned?.change.after.private_ip, server.privateIp, server.name);
    }
  });

  it('delivers shell ${...} in user-data to the instance unchanged', () => {
    const topology = buildTopology(cluster);
    for (const server of topology.servers) {
      const rendered = renderServerUserData(topology, server.name);
      assert.match(rendered, /\$\{/, 'the rendered document should use shell ${...}, or this test proves nothing');
      const planned = changes.find((c) => c.address === `aws_instance.${server.name}_instance`);
      // user_data_base64 is planned as given: it must unpack to exactly the rendered text.
      assert.equal(decodeUserData(planned?.change.after.user_data_base64), rendered, server.name);
    }
  });

  it('hands each auto-scaled pool its rendered document, gzip-compressed and base64-encoded', () => {
    const topology = buildTopology(cluster);
    for (const pool of topology.pools.filter((p) => p.volume === undefined)) {
      const planned = changes.find((c) => c.address === `aws_launch_template.pool-${pool.name}_launch-template`);
      assert.equal(decodeUserData(planned?.change.after.user_data), renderPoolUserData(topology, pool.name));
    }
  });
});
