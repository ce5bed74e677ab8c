import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Patch } from '../support/yaml-patch';
import { addressTexts, diffAddresses as diff } from '../support/address-diff';
import { exampleOpenstackCluster, synthOpenstack } from '../support/openstack-synth';

/** Every resource, local and output of a synthesized stack by address, as its exact JSON text. */
function addresses(patch: Patch): Map<string, string> {
  return addressTexts(synthOpenstack(exampleOpenstackCluster(patch)));
}

/**
 * Every pool resource is one for_each over its agents map, so growing a pool changes that map's
 * count and nothing else. That Terraform evaluates a larger count to the same entries plus new
 * keys (so every existing server, port, volume and attachment plans byte for byte the same) is
 * proven in test/terraform/round-robin-map.test.ts.
 */
function assertOnlyCountChanges(pool: string, from: number, to: number, resources: readonly string[]): void {
  const base = addresses({});
  const grown = addresses({ pools: { [pool]: { count: to } } });
  const agents = `local.pool-${pool}_agents`;
  assert.deepEqual(diff(base, grown), { added: [], removed: [], changed: [agents] });
  assert.equal(grown.get(agents), base.get(agents)!.replace(`range(0, ${from}, 1)`, `range(0, ${to}, 1)`));
  for (const resource of resources) assert.equal(JSON.parse(grown.get(resource)!).for_each, `\${${agents}}`, resource);
}

describe('OpenStack: growing a pool changes only that pool', () => {
  it('a pool without volumes: only the count in its agents map changes; its ports and servers iterate over it', () => {
    assertOnlyCountChanges('builds', 6, 9, ['openstack_networking_port_v2.pool-builds_port', 'openstack_compute_instance_v2.pool-builds_instance']);
  });

  it('a pool with volumes: the same, for its ports, servers, volumes and attachments', () => {
    assertOnlyCountChanges('jenkins-masters', 3, 5, [
      'openstack_networking_port_v2.pool-jenkins-masters_port',
      'openstack_compute_instance_v2.pool-jenkins-masters_instance',
      'openstack_blockstorage_volume_v3.pool-jenkins-masters_data',
      'openstack_compute_volume_attach_v2.pool-jenkins-masters_data-attachment',
    ]);
  });

  it('places agents in the order of network.zones, as the model does, each with its zone\'s subnet and Cinder zone', () => {
    const agents = addresses({ openstack: { volumeZones: ['cinder-1', 'cinder-2', 'cinder-3'] } }).get('local.pool-builds_agents')!;
    assert.ok(agents.includes('element([\\"az1\\", \\"az2\\", \\"az3\\"], val)'), agents);
    assert.ok(agents.includes('element([\\"cinder-1\\", \\"cinder-2\\", \\"cinder-3\\"], val)'), agents);
    assert.ok(agents.includes('element([openstack_networking_subnet_v2.network_agents-az1.id, openstack_networking_subnet_v2.network_agents-az2.id, openstack_networking_subnet_v2.network_agents-az3.id], val)'), agents);
  });

  it("adding a new pool adds only that pool (its credential for Barbican, its own group, which reaches the Jenkins masters' two ports); masters' user-data, ignored after creation, names it", () => {
    const base = addresses({});
    const grown = addresses({ pools: { gpu: { count: 2, size: 'g1.xlarge' } } });
    // The masters' rendered register_agents names the new principal, for masters made from now on;
    // running masters keep their user-data (ignored after creation) and learn it from the stored
    // credentials at their next start (master-acls).
    const masters = [1, 2, 3].map((n) => `openstack_compute_instance_v2.servers_master-${n}_instance`);
    for (const master of masters) {
      const { user_data: _before, ...before } = JSON.parse(base.get(master)!);
      const { user_data: _after, ...after } = JSON.parse(grown.get(master)!);
      assert.deepEqual(after, before, `${master}: only its user-data changes`);
      assert.ok(after.lifecycle.ignore_changes.includes('user_data'), `${master}: ignored after creation`);
    }
    assert.deepEqual(diff(base, grown), {
      added: [
        'local.pool-gpu_agents',
        'openstack_compute_instance_v2.pool-gpu_instance',
        'openstack_identity_application_credential_v3.secret-credentials_gpu',
        'openstack_networking_port_v2.pool-gpu_port',
        'openstack_networking_secgroup_rule_v2.security-groups_tasks-jenkins-masters-jenkins-http-from-gpu',
        'openstack_networking_secgroup_rule_v2.security-groups_tasks-jenkins-masters-jenkins-inbound-agent-from-gpu',
        'openstack_networking_secgroup_v2.security-groups_tasks-gpu',
      ],
      removed: [],
      changed: masters,
    });
  });

  it('keeps the synthesized JSON the same size at 6 and at 60 agents but for the count', () => {
    const text = (count: number) => JSON.stringify(synthOpenstack(exampleOpenstackCluster({ pools: { builds: { count } } })));
    assert.equal(text(60), text(6).replace('range(0, 6, 1)', 'range(0, 60, 1)'));
  });
});
