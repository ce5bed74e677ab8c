import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CLOUD_RULES } from '../../lib/cli/cloud-registry';
import { buildTopology, loadClusterFiles } from '../../lib/model';
import { ALL_RULES, checkStack, formatFinding } from '../../lib/policy';
import { STACK_READERS } from '../../lib/policy/readers';
import { ResolvedCluster } from '../../lib/model';
import { exampleCluster, synthAws } from '../support/aws-synth';
import { exampleOpenstackCluster, OPENSTACK_COLOCATED, synthOpenstack } from '../support/openstack-synth';

/** The cluster's stack as Terraform JSON, on its own cloud. */
const synthJson = (cluster: ResolvedCluster) => (cluster.cloud === 'aws' ? synthAws(cluster).json : synthOpenstack(cluster));

const CLUSTERS = join(__dirname, '..', '..', 'clusters');
const files = readdirSync(CLUSTERS).filter((f) => f.endsWith('.yaml')).map((f) => join(CLUSTERS, f));

describe('policy rules on the example clusters', () => {
  for (const cluster of loadClusterFiles(files, CLOUD_RULES)) {
    it(`${cluster.name} passes every rule with no suppression`, () => {
      assert.deepEqual(cluster.policy.suppressions, []);
      const report = checkStack({ name: cluster.name, cloud: cluster.cloud, json: synthJson(cluster) });
      assert.deepEqual(report.findings.map(formatFinding), []);
    });
  }

  it('judges something in the example for every AWS rule: no rule passes by finding nothing to check', () => {
    const cluster = exampleCluster();
    const { json } = synthAws(cluster);
    const stack = { name: cluster.name, cloud: cluster.cloud, json, view: STACK_READERS.aws!(json) };
    for (const rule of ALL_RULES.filter((r) => r.clouds.includes('aws'))) {
      assert.ok(rule.evaluate(stack).some((r) => r.outcome === 'compliant'), rule.id);
    }
    // The reader saw what the topology placed: every server and pool with its services.
    assert.equal(stack.view.nodes.filter((n) => n.services.includes('zookeeper')).length, buildTopology(cluster).zookeeper.servers.length);
  });

  it('judges something in the OpenStack example for every OpenStack rule, and its reader sees every server', () => {
    const cluster = exampleOpenstackCluster();
    const json = synthOpenstack(cluster);
    const stack = { name: cluster.name, cloud: cluster.cloud, json, view: STACK_READERS.openstack!(json) };
    for (const rule of ALL_RULES.filter((r) => r.clouds.includes('openstack'))) {
      assert.ok(rule.evaluate(stack).some((r) => r.outcome === 'compliant'), rule.id);
    }
    const topology = buildTopology(cluster);
    assert.equal(stack.view.nodes.filter((n) => n.services.includes('zookeeper')).length, topology.zookeeper.servers.length);
    assert.deepEqual(stack.view.nodes.filter((n) => n.publicAddress).map((n) => n.address), ['openstack_compute_instance_v2.bastion_instance']);
    const zk1 = stack.view.nodes.find((n) => n.address.endsWith('servers_zookeeper-1_instance'))!;
    assert.equal(zk1.privateIp, topology.zookeeper.servers[0].privateIp);
    assert.deepEqual(zk1.groups, ['openstack_networking_secgroup_v2.security-groups_zookeeper']);
  });

  it('passes the colocated OpenStack variant', () => {
    const cluster = exampleOpenstackCluster(OPENSTACK_COLOCATED);
    const report = checkStack({ name: cluster.name, cloud: cluster.cloud, json: synthOpenstack(cluster) });
    assert.deepEqual(report.findings.map(formatFinding), []);
  });

  it('passes the colocated variant, whose control servers run all three services', () => {
    const cluster = exampleCluster({ colocate: true, zookeeper: { size: 'm5.xlarge' }, masters: undefined, marathon: undefined });
    const report = checkStack({ name: cluster.name, cloud: cluster.cloud, json: synthAws(cluster).json });
    assert.deepEqual(report.findings.map(formatFinding), []);
  });
});
