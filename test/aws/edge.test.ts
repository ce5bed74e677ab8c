import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeUserData } from '../../lib/aws/user-data';
import { exampleCluster, synthAws } from '../support/aws-synth';

const groupRef = (group: string) => `\${aws_security_group.security-groups_${group}.id}`;

describe('AWS stack: the edge', () => {
  const { json } = synthAws(exampleCluster({ edge: { cidrs: ['203.0.113.0/24'], domain: 'ci.example.com' } }));
  const resources = json.resource;
  const ingress = Object.values(resources.aws_vpc_security_group_ingress_rule);
  const rule = (to: string, port: number) => ingress.filter((r) => r.security_group_id === groupRef(to) && r.from_port <= port && port <= r.to_port);

  it('is an Auto Scaling group of the edge role in the load balancer target group, checked on /edge-health', () => {
    const group = resources.aws_autoscaling_group['edge_group'];
    assert.equal(group.desired_capacity, 2);
    assert.deepEqual(group.target_group_arns, ['${aws_lb_target_group.edge_targets.arn}']);
    assert.equal(group.health_check_type, 'ELB');
    const targets = resources.aws_lb_target_group['edge_targets'];
    assert.deepEqual([targets.port, targets.health_check.path], [80, '/edge-health']);
    const userData = decodeUserData(resources.aws_launch_template['edge_launch-template'].user_data);
    assert.match(userData, /edge-routes \\\n\s+--masters [0-9.:,]+ \\\n\s+--marathons [0-9.:,]+ \\\n[^]*--listen 80\n/);
    assert.match(userData, /activate-units" --enable nginx mesos-cluster-edge/);
  });

  it('has a 443 listener on the UI load balancer that forwards everything to the edge, behind its own security group', () => {
    const listener = resources.aws_lb_listener['edge_listener'];
    assert.equal(listener.port, 443);
    assert.equal(listener.load_balancer_arn, '${aws_lb.ui_load-balancer.arn}');
    assert.deepEqual(listener.default_action, [{ type: 'forward', target_group_arn: '${aws_lb_target_group.edge_targets.arn}' }]);
    assert.deepEqual(resources.aws_lb['ui_load-balancer'].security_groups, [groupRef('load-balancer'), groupRef('ui-redirect'), groupRef('edge-listener')]);
  });

  it('admits the admin CIDRs and edge.cidrs to 443, the load balancer to nginx, and the edge to masters, Marathon and task ports', () => {
    assert.deepEqual(rule('edge-listener', 443).map((r) => r.cidr_ipv4).sort(), ['198.51.100.0/24', '203.0.113.0/24']);
    assert.deepEqual(rule('edge', 80).map((r) => r.referenced_security_group_id), [groupRef('edge-listener')]);
    for (const [to, port] of [['mesos-master', 5050], ['marathon', 8080], ['mesos-agent', 31000], ['mesos-agent', 32000]] as const) {
      assert.ok(rule(to, port).some((r) => r.referenced_security_group_id === groupRef('edge')), `${to} ${port}`);
    }
    const egress = Object.values(resources.aws_vpc_security_group_egress_rule).filter((r) => r.security_group_id === groupRef('edge-listener'));
    assert.deepEqual(egress.map((r) => [r.from_port, r.referenced_security_group_id]), [[80, groupRef('edge')]]);
  });

  it("believes X-Forwarded-For from exactly the subnets the load balancer sits in (/mesos and /marathon are admin-only by it)", () => {
    const userData = decodeUserData(resources.aws_launch_template['edge_launch-template'].user_data);
    const trusted = userData.match(/--load-balancer-cidrs ([0-9][0-9./,]*)/)![1].split(',');
    const subnets = resources['aws_lb']['ui_load-balancer'].subnets.map((ref: string) => resources.aws_subnet[ref.match(/aws_subnet\.(.+)\.id/)![1]].cidr_block);
    assert.deepEqual(trusted.sort(), subnets.sort());
    assert.match(userData, /--admin-cidrs 198\.51\.100\.0\/24 /);
  });

  it('lets the bastion reach 5050, 5051 and 8080 for the Mesos UI SOCKS tunnel', () => {
    for (const [to, port] of [['mesos-master', 5050], ['mesos-agent', 5051], ['marathon', 8080]] as const) {
      assert.ok(rule(to, port).some((r) => r.referenced_security_group_id === groupRef('bastion')), `${to} ${port}`);
    }
  });

  it('is left out with edge.count 0', () => {
    const off = synthAws(exampleCluster({ edge: { count: 0 } })).json.resource;
    assert.equal(off.aws_autoscaling_group['edge_group'], undefined);
    assert.equal(off.aws_lb_listener['edge_listener'], undefined);
  });
});
