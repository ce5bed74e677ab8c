import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderEdgeUserData } from '../../lib/cloud-init';
import { buildTopology, firewallOn, PORTS } from '../../lib/model';
import { unescapeTerraformTemplate } from '../../lib/terraform/escape';
import { diffAddresses } from '../support/address-diff';
import { allFixtureDocuments } from '../support/cloud-init-fixtures';
import { exampleOpenstackCluster, SynthesizedOpenstackStack, synthOpenstack } from '../support/openstack-synth';

const cluster = exampleOpenstackCluster();
const json = synthOpenstack(cluster);
const resources = json.resource;
const groupRef = (group: string) => `\${openstack_networking_secgroup_v2.security-groups_${group}.id}`;
const rules = Object.values(resources.openstack_networking_secgroup_rule_v2);
const ADMIN = '198.51.100.0/24';
const JENKINS_USERS = '203.0.113.0/24';

describe('OpenStack edge: servers', () => {
  const instance = resources.openstack_compute_instance_v2.edge_instance;
  const port = resources.openstack_networking_port_v2.edge_port;

  it('is one for_each block of edge.count servers named edge-<n>, spread over the zones in the agent subnets', () => {
    const servers = json.locals.edge_servers;
    assert.match(servers, /range\(0, 2, 1\): format\("%s-%d", "edge", \(val \+ 1\)\)/);
    assert.ok(servers.includes('"zone" = element(["az1", "az2", "az3"], val)'), servers);
    assert.ok(servers.includes('openstack_networking_subnet_v2.network_agents-az1.id, openstack_networking_subnet_v2.network_agents-az2.id'), servers);
    for (const block of [instance, port]) assert.equal(block.for_each, '${local.edge_servers}');
    assert.equal(instance.availability_zone, '${each.value.zone}');
    assert.deepEqual(port.fixed_ip, [{ subnet_id: '${each.value.subnet_id}' }]);
  });

  it('boots each from the one image with the edge flavor, its own port, metadata role edge and the edge document', () => {
    assert.equal(instance.flavor_name, 'm1.small');
    assert.equal(instance.block_device[0].uuid, '${data.openstack_images_image_v2.image.id}');
    assert.deepEqual(instance.network, [{ port: '${openstack_networking_port_v2.edge_port[each.key].id}' }]);
    assert.equal(instance.metadata.role, 'edge');
    assert.equal(instance.config_drive, true);
    assert.equal(unescapeTerraformTemplate(instance.user_data), renderEdgeUserData(buildTopology(cluster)));
    assert.deepEqual(instance.scheduler_hints, [{ group: '${openstack_compute_servergroup_v2.edge_group.id}' }]);
    assert.deepEqual(resources.openstack_compute_servergroup_v2.edge_group.policies, ['soft-anti-affinity']);
  });

  it('puts the edge servers in the edge group only', () => {
    assert.deepEqual(port.security_group_ids, [groupRef('edge')]);
  });

  it('hands its document to the cloud-init tests (schema, shellcheck, render), as the AWS edge\'s', () => {
    const edges = allFixtureDocuments().filter((d) => d.kind === 'edge').map((d) => d.id);
    assert.deepEqual(edges, ['ci-aws/edge', 'ci-colocated/edge', 'ci-openstack/edge', 'ci-openstack-colocated/edge']);
  });
});

describe('OpenStack edge: the load balancer', () => {
  const listener = resources.openstack_lb_listener_v2.edge_listener;
  const pool = resources.openstack_lb_pool_v2.edge_pool;

  it('terminates HTTPS on 443 with the Barbican certificate of the cluster file, TLS 1.2 and 1.3 only', () => {
    assert.equal(listener.loadbalancer_id, '${openstack_lb_loadbalancer_v2.ui_load-balancer.id}');
    assert.equal(listener.protocol, 'TERMINATED_HTTPS');
    assert.equal(listener.protocol_port, PORTS.edgeHttps);
    assert.equal(listener.default_tls_container_ref, cluster.openstack.loadBalancer.tlsContainerRef);
    assert.deepEqual(listener.tls_versions, ['TLSv1.2', 'TLSv1.3']);
    assert.equal(listener.insert_headers['X-Forwarded-Proto'], 'true', 'the edge hands the scheme on to Jenkins');
  });

  it('admits the admin CIDRs and the Jenkins users\' CIDRs (edge.cidrs), nothing else', () => {
    assert.deepEqual(listener.allowed_cidrs, [ADMIN, JENKINS_USERS]);
    const into = rules.filter((r) => r.direction === 'ingress' && r.security_group_id === groupRef('edge-listener'));
    assert.deepEqual(into.map((r) => [r.port_range_min, r.port_range_max, r.remote_ip_prefix]), [
      [PORTS.edgeHttps, PORTS.edgeHttps, ADMIN],
      [PORTS.edgeHttps, PORTS.edgeHttps, JENKINS_USERS],
    ]);
    assert.deepEqual(resources.openstack_lb_loadbalancer_v2['ui_load-balancer'].security_group_ids, [groupRef('load-balancer'), groupRef('edge-listener'), groupRef('edge-redirect')]);
  });

  it('sends plain HTTP to each edge server\'s nginx, by the address of its port, health-checked on /edge-health', () => {
    assert.deepEqual([pool.listener_id, pool.protocol], ['${openstack_lb_listener_v2.edge_listener.id}', 'HTTP']);
    const member = resources.openstack_lb_member_v2.edge_member;
    assert.equal(member.for_each, '${local.edge_servers}');
    assert.equal(member.address, '${openstack_networking_port_v2.edge_port[each.key].all_fixed_ips.0}');
    assert.equal(member.protocol_port, PORTS.edgeHttp);
    const monitor = resources.openstack_lb_monitor_v2.edge_monitor;
    assert.deepEqual([monitor.pool_id, monitor.type, monitor.url_path, monitor.expected_codes], ['${openstack_lb_pool_v2.edge_pool.id}', 'HTTP', '/edge-health', '200']);
  });

  it('lets the load balancer reach the edge on its HTTP port only, and the edge reach the leaders and the tasks', () => {
    const intoEdge = rules.filter((r) => r.direction === 'ingress' && r.security_group_id === groupRef('edge'));
    assert.deepEqual(intoEdge.map((r) => [r.port_range_min, r.remote_group_id]).sort(), [
      [PORTS.ssh, groupRef('bastion')],
      [PORTS.edgeHttp, groupRef('edge-listener')],
    ].sort());
    const egress = rules.filter((r) => r.direction === 'egress' && r.security_group_id === groupRef('edge-listener'));
    assert.deepEqual(egress.map((r) => [r.port_range_min, r.port_range_max, r.remote_group_id]), [[PORTS.edgeHttp, PORTS.edgeHttp, groupRef('edge')]]);
    const fromEdge = rules.filter((r) => r.direction === 'ingress' && r.remote_group_id === groupRef('edge'));
    assert.deepEqual(fromEdge.map((r) => r.security_group_id).sort(), [groupRef('marathon'), groupRef('mesos-agent'), groupRef('mesos-master')].sort());
  });

  it('has the edge believe X-Forwarded-For from the subnet the load balancer sits in, and admit only the admin CIDRs to /mesos and /marathon', () => {
    const userData = unescapeTerraformTemplate(resources.openstack_compute_instance_v2.edge_instance.user_data);
    const trusted = userData.match(/--load-balancer-cidrs ([0-9][0-9./,]*)/)![1].split(',');
    const vipSubnet = resources.openstack_lb_loadbalancer_v2['ui_load-balancer'].vip_subnet_id.match(/openstack_networking_subnet_v2\.(.+)\.id/)![1];
    assert.ok(trusted.includes(resources.openstack_networking_subnet_v2[vipSubnet].cidr), `${vipSubnet} in ${trusted}`);
    assert.match(userData, new RegExp(`--admin-cidrs ${ADMIN.replace(/[./]/g, '\\$&')} `));
  });

  it('outputs the edge\'s HTTPS address, as on AWS', () => {
    assert.equal(json.output.edge_url.value, 'https://${openstack_networking_floatingip_v2.ui_floating-ip.address}');
  });
});

describe('OpenStack edge: plain HTTP only redirects to HTTPS, as on AWS', () => {
  const https = resources.openstack_lb_listener_v2.edge_listener;
  const listener = resources.openstack_lb_listener_v2['edge_http-redirect_listener'];
  const listenerRef = '${openstack_lb_listener_v2.edge_http-redirect_listener.id}';
  const policies = Object.entries(resources.openstack_lb_l7policy_v2);
  const [policyName, policy] = policies[0];

  it('listens on port 80 over HTTP on the same load balancer as 443, with no pool and no certificate', () => {
    assert.deepEqual([listener.protocol, listener.protocol_port, listener.loadbalancer_id], ['HTTP', PORTS.loadBalancerHttp, https.loadbalancer_id]);
    assert.equal(listener.default_pool_id, undefined);
    assert.equal(listener.default_tls_container_ref, undefined);
    assert.ok(!Object.values(resources.openstack_lb_pool_v2).some((pool) => pool.listener_id === listenerRef), 'no pool on the redirect listener');
  });

  it('has one L7 policy, a 301 to https://<floating IP> (the edge_url output) keeping path and query, with no pool behind it', () => {
    assert.deepEqual(policies.map(([, p]) => p.listener_id), [listenerRef]);
    assert.equal(policy.action, 'REDIRECT_PREFIX');
    assert.equal(policy.redirect_http_code, 301);
    assert.equal(policy.redirect_prefix, 'https://${openstack_networking_floatingip_v2.ui_floating-ip.address}');
    assert.equal(policy.redirect_prefix, json.output.edge_url.value);
    assert.deepEqual([policy.redirect_url, policy.redirect_pool_id], [undefined, undefined]);
  });

  it('matches every request: one rule, PATH STARTS_WITH "/", not inverted', () => {
    const rules = Object.values(resources.openstack_lb_l7rule_v2);
    assert.deepEqual(rules, [{ l7policy_id: `\${openstack_lb_l7policy_v2.${policyName}.id}`, type: 'PATH', compare_type: 'STARTS_WITH', value: '/' }]);
  });

  it('admits the same networks as 443: the listener\'s allowed_cidrs and its own security group on the VIP port, with no egress', () => {
    assert.deepEqual(listener.allowed_cidrs, https.allowed_cidrs);
    const into = (group: string, port: number) =>
      rules.filter((r) => r.direction === 'ingress' && r.security_group_id === groupRef(group)).map((r) => {
        assert.deepEqual([r.protocol, r.port_range_min, r.port_range_max], ['tcp', port, port]);
        return r.remote_ip_prefix;
      });
    assert.deepEqual(into('edge-redirect', PORTS.loadBalancerHttp), into('edge-listener', PORTS.edgeHttps));
    assert.deepEqual(into('edge-redirect', PORTS.loadBalancerHttp), [ADMIN, JENKINS_USERS]);
    assert.ok(resources.openstack_lb_loadbalancer_v2['ui_load-balancer'].security_group_ids.includes(groupRef('edge-redirect')));
    assert.deepEqual(rules.filter((r) => r.direction === 'egress' && r.security_group_id === groupRef('edge-redirect')), []);
    const fromNetworks = rules.filter((r) => r.direction === 'ingress' && r.remote_ip_prefix !== undefined && r.port_range_min <= PORTS.loadBalancerHttp && PORTS.loadBalancerHttp <= r.port_range_max);
    assert.ok(fromNetworks.every((r) => r.security_group_id === groupRef('edge-redirect')), 'no other group admits a network to port 80');
  });

  it('redirects to the floating IP with edge.domain set too (the masters\' host names are the domain\'s children)', () => {
    const withDomain = synthOpenstack(exampleOpenstackCluster({ edge: { domain: 'ci.example.net' } }));
    assert.equal(withDomain.resource.openstack_lb_l7policy_v2[policyName].redirect_prefix, policy.redirect_prefix);
  });

  it('builds its group on OpenStack only: AWS\'s port 80 is the UI load balancer\'s, in ui-redirect', () => {
    assert.ok(!firewallOn('aws').groups.includes('edge-redirect'));
    assert.ok(firewallOn('openstack').groups.includes('edge-redirect'));
  });
});

describe('OpenStack edge: switched off and grown', () => {
  it("with edge.count 0: no edge server, listener or output; port 80 redirects to the Marathon UI over HTTPS, for the admin CIDRs", () => {
    const none = synthOpenstack(exampleOpenstackCluster({ edge: { count: 0 } }));
    const edgeAddresses = Object.values(none.resource).flatMap((byName) => Object.keys(byName)).filter((name) => name.startsWith('edge_'));
    assert.deepEqual(edgeAddresses, []);
    assert.equal(none.output.edge_url, undefined);
    assert.deepEqual(none.resource.openstack_lb_loadbalancer_v2['ui_load-balancer'].security_group_ids, [groupRef('load-balancer'), groupRef('edge-redirect')]);
    const listener = none.resource.openstack_lb_listener_v2['ui_http-redirect_listener'];
    assert.deepEqual([listener.protocol, listener.protocol_port, listener.allowed_cidrs], ['HTTP', PORTS.loadBalancerHttp, ['198.51.100.0/24']]);
    const policy = none.resource.openstack_lb_l7policy_v2['ui_http-redirect_policy'];
    assert.deepEqual([policy.action, policy.redirect_prefix, policy.redirect_http_code], ['REDIRECT_PREFIX', 'https://${openstack_networking_floatingip_v2.ui_floating-ip.address}:8080', 301]);
    assert.equal(Object.values(none.resource.openstack_lb_pool_v2).filter((p: any) => p.listener_id.includes('http-redirect')).length, 0, 'no pool: nothing is served over HTTP');
  });

  it('raising edge.count changes only the edge servers\' map', () => {
    const all = (stack: SynthesizedOpenstackStack) =>
      new Map([
        ...Object.entries(stack.locals).map(([name, value]): [string, string] => [`local.${name}`, JSON.stringify(value)]),
        ...Object.entries(stack.resource).flatMap(([type, byName]) => Object.entries(byName).map(([name, value]): [string, string] => [`${type}.${name}`, JSON.stringify(value)])),
      ]);
    assert.deepEqual(diffAddresses(all(json), all(synthOpenstack(exampleOpenstackCluster({ edge: { count: 3 } })))), { added: [], removed: [], changed: ['local.edge_servers'] });
  });
});
