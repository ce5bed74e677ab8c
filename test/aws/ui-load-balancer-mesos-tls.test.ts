import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTopology, PORTS } from '../../lib/model';
import { checkStack, formatFinding } from '../../lib/policy';
import { exampleCluster, Resources, synthAws } from '../support/aws-synth';

// No tls whatever the example file says: the plain case is what these tests compare against.
const plainCluster = exampleCluster({ tls: undefined });
const tlsCluster = exampleCluster({ tls: { mesos: true, marathon: false } });
const noEdgeCluster = exampleCluster({ tls: { mesos: true, marathon: false }, edge: { count: 0 } });
const plain = synthAws(plainCluster).json;
const tls = synthAws(tlsCluster).json;
const noEdge = synthAws(noEdgeCluster).json;
const groupRef = (group: string) => `\${aws_security_group.security-groups_${group}.id}`;

/** What the UI load balancer has on the Mesos master port: listeners, target groups (and their health checks), attachments. */
function loadBalancerOnMesosPort(resource: Resources) {
  const targetGroups = Object.values(resource.aws_lb_target_group ?? {}).filter((g) => g.port === PORTS.mesosMaster);
  return {
    listeners: Object.values(resource.aws_lb_listener ?? {}).filter((l) => l.port === PORTS.mesosMaster).length,
    targetGroups: targetGroups.length,
    healthChecks: targetGroups.map((g) => g.health_check.path),
    attachments: Object.values(resource.aws_lb_target_group_attachment ?? {}).filter((a) => a.port === PORTS.mesosMaster).length,
  };
}

/** Security group rules on port 5050 that touch the load balancer's group: its egress, the masters' ingress from it, its ingress from the admin CIDRs. */
function loadBalancerRulesOnMesosPort(resource: Resources): string[] {
  const onPort = (r: Record<string, any>) => r.from_port === PORTS.mesosMaster;
  const egress = Object.values(resource.aws_vpc_security_group_egress_rule).filter((r) => onPort(r) && r.security_group_id === groupRef('load-balancer'));
  const ingress = Object.values(resource.aws_vpc_security_group_ingress_rule).filter(
    (r) => onPort(r) && (r.referenced_security_group_id === groupRef('load-balancer') || r.security_group_id === groupRef('load-balancer')),
  );
  return [...egress.map(() => 'egress to the masters'), ...ingress.map((r) => (r.cidr_ipv4 ? `admin ${r.cidr_ipv4}` : 'masters from it'))].sort();
}

describe('AWS: the UI load balancer under tls.mesos', () => {
  it('without tls.mesos fronts the Mesos UI: a 5050 listener, a target group checking /master/roles, one attachment per master', () => {
    assert.deepEqual(loadBalancerOnMesosPort(plain.resource), { listeners: 1, targetGroups: 1, healthChecks: ['/master/roles'], attachments: 3 });
  });

  it('with tls.mesos has no Mesos listener, target group, health check or attachment; the Marathon UI stays', () => {
    assert.deepEqual(loadBalancerOnMesosPort(tls.resource), { listeners: 0, targetGroups: 0, healthChecks: [], attachments: 0 });
    assert.deepEqual(Object.values(tls.resource.aws_lb_listener).map((l) => l.port).sort(), [PORTS.loadBalancerHttp, PORTS.edgeHttps, PORTS.marathonHttp].sort());
    const marathon = Object.values(tls.resource.aws_lb_target_group).filter((g) => g.port === PORTS.marathonHttp);
    assert.deepEqual(marathon.map((g) => g.health_check.path), ['/ping']);
  });

  it('without tls.mesos the firewall lets the load balancer reach the masters\' 5050 and the admin CIDRs its 5050 listener', () => {
    assert.deepEqual(loadBalancerRulesOnMesosPort(plain.resource), ['admin 198.51.100.0/24', 'egress to the masters', 'masters from it']);
  });

  it('with tls.mesos no rule opens 5050 between the load balancer and the masters or from the admin CIDRs to it; the edge and the bastion (tunnel) still reach 5050', () => {
    assert.deepEqual(loadBalancerRulesOnMesosPort(tls.resource), []);
    const intoMasters = Object.values(tls.resource.aws_vpc_security_group_ingress_rule)
      .filter((r) => r.from_port === PORTS.mesosMaster && r.security_group_id === groupRef('mesos-master'))
      .map((r) => r.referenced_security_group_id);
    assert.ok(intoMasters.includes(groupRef('edge')) && intoMasters.includes(groupRef('bastion')), intoMasters.join(','));
  });

  it('mesos_url: the load balancer\'s 5050 without tls.mesos; with it the edge\'s /mesos/ route; with no edge a master\'s HTTPS address through the bastion with tls/operator', () => {
    assert.equal(plain.output.mesos_url.value, 'https://${aws_lb.ui_load-balancer.dns_name}:5050');
    assert.equal(tls.output.mesos_url.value, 'https://${aws_lb.ui_load-balancer.dns_name}/mesos/');
    assert.equal(noEdge.output.mesos_url.value, `https://${buildTopology(noEdgeCluster).mesos.masters[0].privateIp}:5050`);
    assert.match(noEdge.output.mesos_url.description, /bastion.*tls\/operator/);
    assert.equal(noEdge.output.edge_url, undefined);
  });

  it('with tls.mesos, with and without an edge, the stack passes every policy rule', () => {
    const findings = [tlsCluster, noEdgeCluster].flatMap((c) => checkStack({ name: c.name, cloud: 'aws', json: synthAws(c).json }).findings);
    assert.deepEqual(findings.map(formatFinding), []);
  });
});
