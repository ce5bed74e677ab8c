import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderPoolUserData } from '../../lib/cloud-init';
import { buildTopology, VOLUME_ATTRIBUTE } from '../../lib/model';
import { fileAt, parseCloudConfig } from '../support/cloud-init-fixtures';
import { forceNewArguments } from '../support/openstack-schema';
import { exampleOpenstackCluster, synthOpenstack } from '../support/openstack-synth';

const cluster = exampleOpenstackCluster();
const json = synthOpenstack(cluster);
const POOL = 'jenkins-masters';
const port = json.resource.openstack_networking_port_v2[`pool-${POOL}_port`];
const instance = json.resource.openstack_compute_instance_v2[`pool-${POOL}_instance`];

describe('OpenStack volume agents: pinned to their data', () => {
  it('names each agent in its server metadata (key agent), beside its pool', () => {
    for (const pool of ['builds', POOL]) {
      const { metadata } = json.resource.openstack_compute_instance_v2[`pool-${pool}_instance`];
      assert.deepEqual([metadata.role, metadata.pool, metadata.agent], ['mesos-agent', pool, '${each.key}']);
    }
    assert.match(json.locals[`pool-${POOL}_agents`], /format\("%s-%d", "jenkins-masters", \(val \+ 1\)\)/, 'each.key is the agent name, jenkins-masters-<n>');
  });

  it('gives each agent a port of its own, keyed by the agent name, that the server plugs into and that refers to no server', () => {
    assert.equal(port.for_each, `\${local.pool-${POOL}_agents}`);
    assert.equal(instance.for_each, port.for_each);
    assert.equal(port.name, 'ci-openstack-${each.key}');
    assert.deepEqual(instance.network, [{ port: `\${openstack_networking_port_v2.pool-${POOL}_port[each.key].id}` }]);
    assert.ok(!JSON.stringify(port).includes('openstack_compute_instance_v2'), 'replacing the server cannot touch its port');
  });

  it('keeps the port, and the address Neutron gave it, when the server is replaced: nothing of the server can force a new port', () => {
    // The address comes from the subnet once, at the port's creation; a port is replaced only
    // when one of its ForceNew arguments changes, and the ones set here name the network alone.
    const forceNew = forceNewArguments('openstack_networking_port_v2');
    const set = Object.keys(port).filter((argument) => forceNew.has(argument));
    assert.deepEqual(set, ['network_id']);
    assert.equal(port.network_id, '${openstack_networking_network_v2.network_network.id}');
    assert.deepEqual(port.fixed_ip, [{ subnet_id: '${each.value.subnet_id}' }], 'no address given: Neutron assigns one and the port keeps it');
    assert.equal(port.lifecycle, undefined);
  });

  it('lets Mesos create host-path folders under the pool\'s mount path only, and derives the volume attribute at boot', () => {
    const config = parseCloudConfig(renderPoolUserData(buildTopology(cluster), POOL));
    assert.equal(fileAt(config, '/etc/mesos-agent/host_path_volume_force_creation')?.content, '/var/lib/jenkins\n');
    assert.match(fileAt(config, '/etc/mesos-agent/isolation')!.content, /volume\/host_path/);
    assert.match(fileAt(config, '/usr/local/lib/mesos-cluster/configure-node')!.content, new RegExp(`agent-identity" ${POOL} --volume-attribute$`, 'm'));
    assert.equal(VOLUME_ATTRIBUTE, 'volume');
  });
});
