import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { renderPoolUserData, renderServerUserData } from '../../lib/cloud-init';
import { decodeUserData } from '../../lib/aws/user-data';
import { buildTopology } from '../../lib/model';
import { exampleCluster, Resources, synthAwsToDisk } from '../support/aws-synth';
import { offlineStsEnvironment, offlineTerraformEnv, offlineTerraformUnavailable, PlannedChange, terraform, terraformPlanWithDiagnostics, ValidateResult } from '../support/offline-terraform';
import { poisonedCluster } from '../support/poisoned-aws-cluster';
import { moduleDiagnostics, stacksAsModules } from '../support/stacks-as-modules';
import { ReattachedProvider, startReattachedProvider } from '../support/reattached-provider';
import { assertToolAvailable, gateOn } from '../support/tool-gate';

const missing = offlineTerraformUnavailable();

/** The module each cluster is planned as: the example, and the poisoned cluster of the hostile-strings tests. */
const EXAMPLE = 'example';
const POISONED = 'poisoned';

describe('the synthesized AWS stack under real Terraform and AWS provider 5.100', gateOn(missing), () => {
  let changes: PlannedChange[] = [];
  let poisonedChanges: PlannedChange[] = [];
  let diagnostics: ValidateResult['diagnostics'] = [];
  let synthesized: Resources = {};
  const cluster = exampleCluster();
  const poisoned = poisonedCluster();
  let provider: ReattachedProvider | undefined;

  before(async () => {
    assertToolAvailable(missing);
    const stackDir = synthAwsToDisk(cluster);
    synthesized = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')).resource;
    // One plan for both clusters, each a module of it: one init, one provider process, one plan
    // and one show, instead of a workspace of its own each (docs/test-lanes.md).
    const dir = stacksAsModules(
      [
        { name: EXAMPLE, stackDir },
        { name: POISONED, stackDir: synthAwsToDisk(poisoned.cluster) },
      ],
      { stsFromEnvironment: true },
    );
    const env = { ...offlineTerraformEnv(), ...offlineStsEnvironment() };
    terraform(dir, env, ['init', '-input=false', '-no-color']);
    // One provider process for plan and show, instead of three for the plan and one for show.
    provider = await startReattachedProvider(dir, env);
    const planned = terraformPlanWithDiagnostics({ dir, env: { ...env, ...provider.env } });
    diagnostics = planned.diagnostics;
    // Each module's changes by the addresses they have in a stack of its own.
    const ofModule = (name: string) =>
      planned.plan.resource_changes
        .filter((c) => c.module_address === `module.${name}`)
        .map((c) => ({ ...c, address: c.address.slice(`module.${name}.`.length) }));
    changes = ofModule(EXAMPLE);
    poisonedChanges = ofModule(POISONED);
    assert.equal(changes.length + poisonedChanges.length, planned.plan.resource_changes.length, 'a change outside the two modules');
  });
  after(async () => {
    await provider?.stop();
  });

  it('passes the validation Terraform runs before it plans, with no errors or warnings', () => {
    assert.deepEqual(moduleDiagnostics(diagnostics, EXAMPLE), []);
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

  it('plans strings that got past validation (test/support/poisoned-aws-cluster.ts) without evaluating any of them, each value literal in the plan', () => {
    assert.ok(poisonedChanges.length > 50, `only ${poisonedChanges.length} planned changes of the poisoned cluster`);
    const values: string[] = [];
    JSON.parse(JSON.stringify(poisonedChanges), (_key, value) => (typeof value === 'string' && values.push(value), value));
    const unpacked = values.map((v) => {
      try {
        return decodeUserData(v);
      } catch {
        return '';
      }
    });
    // User-data is compressed, and the plan holds it as given (user_data_base64, launch templates).
    const notInPlan = poisoned.markers.filter((m) => !values.some((v) => v.includes(m)) && !unpacked.some((v) => v.includes(m)));
    assert.deepEqual(notInPlan, []);
  });
});
