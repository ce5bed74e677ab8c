import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTopology, PORTS } from '../../lib/model';
import { checkStack, formatFinding } from '../../lib/policy';
import { Resources } from '../support/aws-synth';
import { exampleOpenstackCluster, synthOpenstack } from '../support/openstack-synth';

// No tls whatever the example file says: the plain case is what these tests compare against.
const plainCluster = exampleOpenstackCluster({ tls: undefined });
const tlsCluster = exampleOpenstackCluster({ tls: { mesos: true, marathon: false } });
const noEdgeCluster = exampleOpenstackCluster({ tls: { mesos: true, marathon: false }, edge: { count: 0 } });
const noOctaviaCluster = exampleOpenstackCluster({ tls: { mesos: true, marathon: true }, openstack: { loadBalancer: { enabled: false } }, edge: undefined });
const plain = synthOpenstack(plainCluster);
const tls = synthOpenstack(tlsCluster);
const noEdge = synthOpenstack(noEdgeCluster);
const groupRef = (group: string) => `\${openstack_networking_secgroup_v2.security-groups_${group}.id}`;
const masterAddress = buildTopology(plainCluster).mesos.masters[0].privateIp;

/** What the UI load balancer has for the Mesos UI: listeners on 5050, their pools' monitors, members on 5050. */
function loadBalancerOnMesosPort(resource: Resources) {
  const listeners = Object.entries(resource.openstack_lb_listener_v2).filter(([, l]) => l.protocol_port === PORTS.mesosMaster).map(([name]) => name);
  const pools = Object.entries(resource.openstack_lb_pool_v2).filter(([, p]) => listeners.some((name) => p.listener_id === `\${openstack_lb_listener_v2.${name}.id}`));
  const monitors = Object.values(resource.openstack_lb_monitor_v2).filter((m) => pools.some(([name]) => m.pool_id === `\${openstack_lb_pool_v2.${name}.id}`));
  return {
    listeners: listeners.length,
    pools: pools.length,
    monitors: monitors.map((m) => m.url_path),
    members: Object.values(resource.openstack_lb_member_v2).filter((m) => m.protocol_port === PORTS.mesosMaster).length,
  };
}

/** Security group rules on port 5050 that touch the load balancer's group: its egress, the masters' ingress from it, its ingress from the admin CIDRs. */
function loadBalancerRulesOnMesosPort(resource: Resources): string[] {
  return Object.values(resource.openstack_networking_secgroup_rule_v2)
    .filter((r) => r.port_range_min === PORTS.mesosMaster && (r.security_group_id === groupRef('load-balancer') || r.remote_group_id === groupRef('load-balancer')))
    .map((r) => (r.direction === 'egress' ? 'egress to the masters' : r.remote_ip_prefix ? `admin ${r.remote_ip_prefix}` : 'masters from it'))
    .sort();
}

describe('OpenStack: the UI load balancer under tls.mesos', () => {
  it('without tls.mesos fronts the Mesos UI: a 5050 listener, a pool with a /master/roles monitor, one member per master', () => {
    assert.deepEqual(loadBalancerOnMesosPort(plain.resource), { listeners: 1, pools: 1, monitors: ['/master/roles'], members: 3 });
  });

  it('with tls.mesos has no Mesos listener, pool, monitor or member; the Marathon UI stays', () => {
    assert.deepEqual(loadBalancerOnMesosPort(tls.resource), { listeners: 0, pools: 0, monitors: [], members: 0 });
    const uiMonitors = Object.entries(tls.resource.openstack_lb_monitor_v2).filter(([name]) => name.startsWith('ui_'));
    assert.deepEqual(uiMonitors.map(([, m]) => m.url_path), ['/ping']);
  });

  it('without tls.mesos the firewall lets the load balancer reach the masters\' 5050 and the admin CIDRs its 5050 listener', () => {
    assert.deepEqual(loadBalancerRulesOnMesosPort(plain.resource), ['admin 198.51.100.0/24', 'egress to the masters', 'masters from it']);
  });

  it('with tls.mesos no rule opens 5050 between the load balancer and the masters or from the admin CIDRs to it; the edge and the bastion (tunnel) still reach 5050', () => {
    assert.deepEqual(loadBalancerRulesOnMesosPort(tls.resource), []);
    const intoMasters = Object.values(tls.resource.openstack_networking_secgroup_rule_v2)
      .filter((r) => r.direction === 'ingress' && r.port_range_min === PORTS.mesosMaster && r.security_group_id === groupRef('mesos-master'))
      .map((r) => r.remote_group_id);
    assert.ok(intoMasters.includes(groupRef('edge')) && intoMasters.includes(groupRef('bastion')), intoMasters.join(','));
  });

  it('mesos_url: the load balancer\'s 5050 without tls.mesos; with it the edge\'s /mesos/ route; with no edge a master\'s HTTPS address through the bastion with tls/operator', () => {
    const floatingIp = '${openstack_networking_floatingip_v2.ui_floating-ip.address}';
    assert.equal(plain.output.mesos_url.value, `https://${floatingIp}:5050`);
    assert.equal(tls.output.mesos_url.value, `https://${floatingIp}/mesos/`);
    assert.equal(noEdge.output.mesos_url.value, `https://${masterAddress}:5050`);
    assert.match(noEdge.output.mesos_url.description, /bastion.*tls\/operator/);
  });

  it('without Octavia, under tls.mesos and tls.marathon, the outputs name the HTTPS ports of a master and a Marathon server', () => {
    const { output } = synthOpenstack(noOctaviaCluster);
    assert.equal(output.mesos_url.value, `https://${masterAddress}:5050`);
    assert.equal(output.marathon_url.value, `https://${buildTopology(noOctaviaCluster).marathon.servers[0].privateIp}:${PORTS.marathonHttps}`);
  });

  it('with tls.mesos, with and without an edge, the stack passes every policy rule', () => {
    const findings = [tlsCluster, noEdgeCluster].flatMap((c) => checkStack({ name: c.name, cloud: 'openstack', json: synthOpenstack(c) }).findings);
    assert.deepEqual(findings.map(formatFinding), []);
  });
});
