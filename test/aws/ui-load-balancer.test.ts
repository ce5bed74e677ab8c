import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_ADMIN_CIDRS } from '../../lib/aws/cluster-rules';
import { UI_TLS_POLICY } from '../../lib/aws/ui-load-balancer';
import { TLS_12_OR_NEWER } from '../../lib/policy/rules/load-balancer-https';
import { NO_CBC_SUITES } from '../../lib/policy/rules/load-balancer-restricted-tls';
import { exampleCluster, synthAws } from '../support/aws-synth';

const groupRef = (group: string) => `\${aws_security_group.security-groups_${group}.id}`;

describe('AWS stack: UI load balancer over HTTPS', () => {
  it('serves every UI listener over HTTPS with a TLS 1.2+ policy and the cluster file\'s certificate', () => {
    const cluster = exampleCluster();
    const listeners = Object.values(synthAws(cluster).json.resource.aws_lb_listener).filter((l) => l.port !== 80);
    assert.equal(listeners.length, 3, 'Mesos, Marathon and the edge');
    for (const l of listeners) {
      assert.deepEqual([l.protocol, l.ssl_policy, l.certificate_arn], ['HTTPS', UI_TLS_POLICY, cluster.aws.certificateArn]);
    }
    assert.match(UI_TLS_POLICY, TLS_12_OR_NEWER);
    assert.match(UI_TLS_POLICY, NO_CBC_SUITES, 'a -Res- policy: no CBC suites');
  });

  it('is protected from deletion', () => {
    assert.equal(synthAws(exampleCluster()).json.resource.aws_lb['ui_load-balancer'].enable_deletion_protection, true);
  });
});

describe('AWS stack: plain HTTP on the UI load balancer only redirects', () => {
  const cluster = exampleCluster({ network: { adminCidrs: ['198.51.100.0/24', '192.0.2.0/25'] } });
  const resources = synthAws(cluster).json.resource;
  const listener = resources.aws_lb_listener['ui_http-redirect-listener'];

  it('listens on 80 over HTTP with one action, a 301 to HTTPS on the edge\'s 443 keeping host, path and query, and no forward', () => {
    assert.deepEqual([listener.port, listener.protocol, listener.load_balancer_arn], [80, 'HTTP', '${aws_lb.ui_load-balancer.arn}']);
    assert.equal(listener.ssl_policy, undefined);
    // Exactly these keys: host, path and query are left unset, so the listener keeps #{host}, /#{path} and #{query}.
    assert.deepEqual(listener.default_action, [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } }]);
    assert.ok(!JSON.stringify(listener).includes('forward'));
  });

  it('redirects to the Marathon UI\'s HTTPS port when there is no edge', () => {
    const off = synthAws(exampleCluster({ edge: { count: 0 } })).json.resource.aws_lb_listener['ui_http-redirect-listener'];
    assert.deepEqual(off.default_action, [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '8080', status_code: 'HTTP_301' } }]);
  });

  it('admits port 80 from the admin CIDRs only, through its own described group on the load balancer', () => {
    assert.ok(resources.aws_lb['ui_load-balancer'].security_groups.includes(groupRef('ui-redirect')));
    const port80 = Object.values(resources.aws_vpc_security_group_ingress_rule).filter((r) => r.from_port <= 80 && 80 <= r.to_port);
    const onRedirect = port80.filter((r) => r.security_group_id === groupRef('ui-redirect'));
    assert.deepEqual(onRedirect.map((r) => r.cidr_ipv4).sort(), [...cluster.network.adminCidrs].sort());
    for (const r of onRedirect) {
      assert.deepEqual([r.ip_protocol, r.from_port, r.to_port, r.referenced_security_group_id], ['tcp', 80, 80, undefined]);
      assert.match(r.description, /redirect to HTTPS/);
    }
    const intoGroup = Object.values(resources.aws_vpc_security_group_ingress_rule).filter((r) => r.security_group_id === groupRef('ui-redirect'));
    assert.equal(intoGroup.length, onRedirect.length, 'no other ingress into the redirect group');
    assert.ok(!port80.some((r) => r.security_group_id === groupRef('load-balancer') || r.security_group_id === groupRef('edge-listener')), 'port 80 is not on the other load balancer groups');
    assert.equal(Object.values(resources.aws_vpc_security_group_egress_rule).filter((r) => r.security_group_id === groupRef('ui-redirect')).length, 0);
    assert.match(resources.aws_security_group['security-groups_ui-redirect'].description, /ui-redirect/);
  });

  it('leaves the admin-CIDR limit at 30', () => {
    assert.equal(MAX_ADMIN_CIDRS, 30);
  });
});
