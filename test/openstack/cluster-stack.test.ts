import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing, TerraformStack } from 'cdktf';
import { renderPoolUserData, renderServerUserData } from '../../lib/cloud-init';
import { buildTopology, FIREWALL_GROUPS, FIREWALL_RULES, firewallOn, poolTaskGroup, poolTaskPortRules, PORTS } from '../../lib/model';
import { EDGE_OUTPUT_NAME, OUTPUT_NAMES } from '../../lib/terraform/outputs';
import { unescapeTerraformTemplate } from '../../lib/terraform/escape';
import { OpenstackClusterStack } from '../../lib/openstack';
import { exampleOpenstackCluster, OPENSTACK_COLOCATED, synthOpenstack } from '../support/openstack-synth';

const cluster = exampleOpenstackCluster();
const topology = buildTopology(cluster);
const json = synthOpenstack(cluster);
const resources = json.resource;
const instances = resources.openstack_compute_instance_v2;
const rules = Object.values(resources.openstack_networking_secgroup_rule_v2);
const groupRef = (group: string) => `\${openstack_networking_secgroup_v2.security-groups_${group}.id}`;

describe('OpenStack stack: servers', () => {
  it('has one server per quorum member and the bastion, and one for_each block per pool and for the edge', () => {
    const names = Object.keys(instances).sort();
    const expected = [
      ...topology.servers.map((s) => `servers_${s.name}_instance`),
      'bastion_instance',
      'edge_instance',
      'pool-jenkins-masters_instance',
      'pool-builds_instance',
    ].sort();
    assert.deepEqual(names, expected);
    assert.match(json.locals['pool-builds_agents'], /range\(0, 6, 1\)/);
    assert.equal(instances['pool-builds_instance'].for_each, '${local.pool-builds_agents}');
  });

  it('plugs each quorum server into a port at its fixed address in its zone control subnet', () => {
    for (const server of topology.servers) {
      const port = resources.openstack_networking_port_v2[`servers_${server.name}_port`];
      assert.deepEqual(port.fixed_ip, [{ subnet_id: `\${openstack_networking_subnet_v2.network_control-${server.zone.zone}.id}`, ip_address: server.privateIp }]);
      const instance = instances[`servers_${server.name}_instance`];
      assert.deepEqual(instance.network, [{ port: `\${openstack_networking_port_v2.servers_${server.name}_port.id}` }]);
      assert.equal(instance.availability_zone, server.zone.zone);
      assert.equal(instance.flavor_name, server.size);
    }
  });

  it('keeps DHCP and router ports out of the fixed addresses of the control subnets', () => {
    const subnet = resources.openstack_networking_subnet_v2['network_control-az1'];
    assert.deepEqual(subnet.allocation_pool, [{ start: '10.30.224.40', end: '10.30.227.254' }]);
    const highest = Math.max(...topology.servers.map((s) => Number(s.privateIp.split('.')[3])));
    assert.ok(highest < 40, `fixed addresses end at .${highest}`);
  });

  it('puts each quorum role and the edge in its own server group with soft anti-affinity, hard when asked', () => {
    const groups = resources.openstack_compute_servergroup_v2;
    assert.deepEqual(Object.keys(groups).sort(), ['edge_group', 'servers_marathon-group', 'servers_mesos-master-group', 'servers_zookeeper-group']);
    for (const group of Object.values(groups)) assert.deepEqual(group.policies, ['soft-anti-affinity']);
    for (const server of topology.servers) {
      assert.deepEqual(instances[`servers_${server.name}_instance`].scheduler_hints, [{ group: `\${openstack_compute_servergroup_v2.servers_${server.role}-group.id}` }]);
    }
    const hard = synthOpenstack(exampleOpenstackCluster({ openstack: { antiAffinity: 'hard' } }));
    for (const group of Object.values(hard.resource.openstack_compute_servergroup_v2)) assert.deepEqual(group.policies, ['anti-affinity']);
  });

  it('boots every server from one image onto a sized root volume, with a key pair, config drive and metadata cluster, role, pool', () => {
    for (const [name, instance] of Object.entries(instances)) {
      assert.equal(instance.config_drive, true, name);
      assert.equal(instance.key_pair, 'ci-admin', name);
      assert.equal(instance.block_device.length, 1, name);
      assert.equal(instance.block_device[0].uuid, '${data.openstack_images_image_v2.image.id}', name);
      assert.equal(instance.block_device[0].boot_index, 0, name);
      assert.equal(instance.metadata.cluster, 'ci-openstack', name);
      assert.equal(instance.metadata.team, 'platform', `${name}: the file's tags are carried`);
    }
    assert.equal(instances['pool-builds_instance'].metadata.role, 'mesos-agent');
    assert.equal(instances['pool-builds_instance'].metadata.pool, 'builds');
    assert.equal(instances['servers_zookeeper-1_instance'].metadata.role, 'zookeeper');
    assert.equal(instances.bastion_instance.metadata.role, 'bastion');
    assert.deepEqual(json.data.openstack_images_image_v2.image, { name: 'debian-12-mesos-cluster', most_recent: true });
  });

  it('escapes tags in metadata, so a ${ in one is not a Terraform template', () => {
    const tagged = synthOpenstack(exampleOpenstackCluster({ tags: { owner: '${var.x}' } }));
    assert.equal(tagged.resource.openstack_compute_instance_v2.bastion_instance.metadata.owner, '$${var.x}');
  });

  it('boots from an image id without looking it up', () => {
    const id = '0b8a7c6e-1f2d-4e3a-9b8c-7d6e5f4a3b2c';
    const byId = synthOpenstack(exampleOpenstackCluster({ image: id }));
    assert.equal(byId.data.openstack_images_image_v2, undefined);
    assert.equal(byId.resource.openstack_compute_instance_v2.bastion_instance.block_device[0].uuid, id);
  });

  it('gives each server its own rendered user-data, and each pool one document for all its agents', () => {
    const zk = instances['servers_zookeeper-2_instance'];
    assert.equal(unescapeTerraformTemplate(zk.user_data), renderServerUserData(topology, 'zookeeper-2'));
    assert.equal(unescapeTerraformTemplate(instances['pool-builds_instance'].user_data), renderPoolUserData(topology, 'builds'));
  });

  it('gives every agent of a volume pool a Cinder volume in its zone that Terraform refuses to destroy, and an attachment', () => {
    const volume = resources.openstack_blockstorage_volume_v3['pool-jenkins-masters_data'];
    assert.equal(volume.for_each, '${local.pool-jenkins-masters_agents}');
    assert.equal(volume.size, 200);
    assert.equal(volume.availability_zone, '${each.value.volume_zone}');
    assert.deepEqual(volume.lifecycle, { prevent_destroy: true });
    const attachment = resources.openstack_compute_volume_attach_v2['pool-jenkins-masters_data-attachment'];
    assert.equal(attachment.instance_id, '${openstack_compute_instance_v2.pool-jenkins-masters_instance[each.key].id}');
    assert.equal(attachment.volume_id, '${openstack_blockstorage_volume_v3.pool-jenkins-masters_data[each.key].id}');
    assert.equal(resources.openstack_blockstorage_volume_v3['pool-builds_data'], undefined, 'no volumes for a pool without one');
  });

  it('gives a floating IP to the bastion and the load balancer only', () => {
    const associations = Object.values(resources.openstack_networking_floatingip_associate_v2).map((a) => a.port_id);
    assert.deepEqual(associations.sort(), ['${openstack_lb_loadbalancer_v2.ui_load-balancer.vip_port_id}', '${openstack_networking_port_v2.bastion_port.id}']);
    for (const ip of Object.values(resources.openstack_networking_floatingip_v2)) assert.equal(ip.pool, '${data.openstack_networking_network_v2.network_external.name}');
  });
});

describe('OpenStack stack: network and firewall', () => {
  it('carves the subnets as on AWS and routes each to the external network', () => {
    const subnets = resources.openstack_networking_subnet_v2;
    for (const zone of topology.zones) {
      assert.equal(subnets[`network_public-${zone.zone}`].cidr, zone.publicCidr);
      assert.equal(subnets[`network_control-${zone.zone}`].cidr, zone.controlCidr);
      assert.equal(subnets[`network_agents-${zone.zone}`].cidr, zone.agentCidr);
      assert.deepEqual(subnets[`network_agents-${zone.zone}`].dns_nameservers, ['192.0.2.53']);
    }
    assert.equal(Object.keys(resources.openstack_networking_router_interface_v2).length, 3 * topology.zones.length);
    assert.equal(resources.openstack_networking_router_v2.network_router.external_network_id, '${data.openstack_networking_network_v2.network_external.id}');
    assert.deepEqual(json.data.openstack_networking_network_v2.network_external, { name: 'public', external: true });
  });

  it('has a rule per model rule and per CIDR of the admin and edge networks, none into the AWS UI redirect group (the edge has its own redirect group here), each described, with no ingress from the world', () => {
    const ingress = rules.filter((r) => r.direction === 'ingress');
    for (const rule of rules) assert.ok(typeof rule.description === 'string' && rule.description.length > 0, JSON.stringify(rule));
    for (const rule of ingress) assert.notEqual(rule.remote_ip_prefix, '0.0.0.0/0', JSON.stringify(rule));
    const built = firewallOn('openstack');
    assert.deepEqual(FIREWALL_GROUPS.filter((g) => !built.groups.includes(g)), ['ui-redirect']);
    assert.ok(built.rules.length < FIREWALL_RULES.length && !built.rules.some((r) => r.to === 'ui-redirect'), 'the AWS UI redirect rules are left out');
    const pools = topology.pools.map((p) => `security-groups_${poolTaskGroup(p.name)}`);
    assert.deepEqual(Object.keys(resources.openstack_networking_secgroup_v2).sort(), [...built.groups.map((g) => `security-groups_${g}`), ...pools].sort());
    const cidrs = { admin: cluster.network.adminCidrs.length, 'edge-clients': cluster.edge!.cidrs.length } as Record<string, number>;
    const expected = built.rules.reduce((n, r) => n + (cidrs[r.from] ?? 1), 0) + poolTaskPortRules(topology.pools).length;
    assert.equal(ingress.length, expected);
    const ssh = ingress.filter((r) => r.port_range_min === PORTS.ssh && r.remote_ip_prefix !== undefined);
    assert.deepEqual(ssh.map((r) => [r.security_group_id, r.remote_ip_prefix]), [[groupRef('bastion'), '198.51.100.0/24']]);
  });

  it("opens to builds only their Jenkins masters' HTTP and inbound-agent ports, no pool's task ports to another, and keeps the edge's reach", () => {
    const into = (group: string, port: number) =>
      rules.filter((r) => r.direction === 'ingress' && r.security_group_id === groupRef(group) && r.port_range_min <= port && port <= r.port_range_max).map((r) => r.remote_group_id).sort();
    assert.deepEqual(into('mesos-agent', 31500), ['edge', 'marathon'].map(groupRef).sort());
    for (const pool of ['tasks-builds', 'tasks-jenkins-masters']) assert.deepEqual(into(pool, 31500), [], pool);
    assert.deepEqual(into('tasks-builds', PORTS.jenkinsHttp), []);
    for (const port of [PORTS.jenkinsHttp, PORTS.jenkinsInboundAgent]) {
      assert.deepEqual(into('tasks-jenkins-masters', port), [groupRef('tasks-builds')], String(port));
      assert.deepEqual(into('mesos-agent', port), ['edge', 'marathon'].map(groupRef).sort());
    }
  });

  it('admits ZooKeeper clients only from the cluster groups', () => {
    const zk = rules.filter((r) => r.direction === 'ingress' && r.port_range_min === PORTS.zookeeperClient);
    assert.deepEqual(zk.map((r) => r.remote_group_id).sort(), ['marathon', 'mesos-agent', 'mesos-master', 'zookeeper'].map(groupRef).sort());
  });

  it('deletes Neutron default rules so every rule is one of ours', () => {
    for (const group of Object.values(resources.openstack_networking_secgroup_v2)) assert.equal(group.delete_default_rules, true);
  });
});

describe('OpenStack stack: UI load balancer and outputs', () => {
  it('terminates TLS on every UI listener with the cluster\'s certificate, TLS 1.2 and 1.3 only', () => {
    for (const ui of ['mesos', 'marathon']) {
      const listener = resources.openstack_lb_listener_v2[`ui_${ui}-listener`];
      assert.equal(listener.protocol, 'TERMINATED_HTTPS', ui);
      assert.equal(listener.default_tls_container_ref, cluster.openstack.loadBalancer.tlsContainerRef, ui);
      assert.deepEqual(listener.tls_versions, ['TLSv1.2', 'TLSv1.3'], ui);
    }
  });

  it('limits every UI listener to the admin CIDRs and checks health on the model paths', () => {
    const listeners = Object.entries(resources.openstack_lb_listener_v2)
      .filter(([name]) => name.startsWith('ui_') && name !== 'ui_http-redirect_listener')
      .map(([, listener]) => listener);
    assert.deepEqual(listeners.map((l) => l.protocol_port).sort(), [PORTS.mesosMaster, PORTS.marathonHttp]);
    for (const listener of listeners) assert.deepEqual(listener.allowed_cidrs, ['198.51.100.0/24']);
    const ui = <T>(byName: Record<string, T>) => Object.entries(byName).filter(([name]) => name.startsWith('ui_')).map(([, value]) => value);
    assert.deepEqual(ui(resources.openstack_lb_monitor_v2).map((m) => m.url_path).sort(), ['/master/roles', '/ping']);
    assert.equal(ui(resources.openstack_lb_member_v2).length, 6);
  });

  it('has the same outputs as on AWS, the edge\'s too', () => {
    assert.deepEqual(Object.keys(json.output).sort(), [...OUTPUT_NAMES, EDGE_OUTPUT_NAME].sort());
    assert.equal(json.output.mesos_url.value, 'https://${openstack_networking_floatingip_v2.ui_floating-ip.address}:5050');
  });

  it('admits the load balancer to the UIs by its security group, as the firewall table says', () => {
    const fromLoadBalancer = rules.filter((r) => r.direction === 'ingress' && r.remote_group_id === groupRef('load-balancer'));
    assert.deepEqual(fromLoadBalancer.map((r) => r.port_range_min).sort(), [PORTS.mesosMaster, PORTS.marathonHttp]);
    assert.deepEqual(resources.openstack_lb_loadbalancer_v2['ui_load-balancer'].security_group_ids, [groupRef('load-balancer'), groupRef('edge-listener'), groupRef('edge-redirect')]);
  });

  it('without Octavia: no load balancer, UIs at a server address through the bastion', () => {
    const plain = synthOpenstack(exampleOpenstackCluster({ openstack: { loadBalancer: { enabled: false } }, edge: undefined }));
    assert.equal(plain.resource.openstack_lb_loadbalancer_v2, undefined);
    assert.equal(Object.keys(plain.resource.openstack_networking_floatingip_v2).length, 1);
    assert.equal(plain.output.mesos_url.value, `http://${topology.mesos.masters[0].privateIp}:5050`);
  });

  it('requires the OpenStack provider ~> 3.4', () => {
    assert.deepEqual(json.terraform.required_providers.openstack, { source: 'terraform-provider-openstack/openstack', version: '~> 3.4' });
  });
});

describe('OpenStack stack: colocated', () => {
  it('runs every quorum service on control servers in one server group', () => {
    const colocated = synthOpenstack(exampleOpenstackCluster(OPENSTACK_COLOCATED));
    assert.deepEqual(Object.keys(colocated.resource.openstack_compute_servergroup_v2).sort(), ['edge_group', 'servers_control-group']);
    const control = colocated.resource.openstack_compute_instance_v2['servers_control-1_instance'];
    assert.equal(control.metadata.role, 'control');
    assert.equal(control.metadata.services, 'zookeeper,mesos-master,marathon');
    assert.equal(control.flavor_name, 'm1.medium');
  });
});

describe('OpenStack stack: synthesis', () => {
  it("writes the same stack without cdktf's preparing resolve pass, which only finds references to other stacks", () => {
    const stack = () => new OpenstackClusterStack(Testing.app(), cluster.name, { topology });
    const withPass = stack();
    TerraformStack.prototype.prepareStack.call(withPass);
    const without = stack();
    without.prepareStack();
    assert.equal(Testing.synth(without), Testing.synth(withPass));
    assert.equal(without.node.findAll().filter((c) => c.node.id === 'backend').length, 1, 'the backend is still ensured');
  });
});
