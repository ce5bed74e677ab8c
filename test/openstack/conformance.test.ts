import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { argumentNames, conformanceProblems, dataSourceSchema, resourceSchema } from '../support/openstack-schema';
import { exampleOpenstackCluster, OPENSTACK_COLOCATED, synthOpenstack } from '../support/openstack-synth';

/** The shipped example, its colocated variant, and one with the other options switched. */
const VARIANTS = {
  'ci-openstack': {},
  colocated: OPENSTACK_COLOCATED,
  'no load balancer (so no edge), image id, hard anti-affinity, new key pair, S3 state': {
    edge: undefined,
    image: '0b8a7c6e-1f2d-4e3a-9b8c-7d6e5f4a3b2c',
    sshKey: { name: 'ci-admin', publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ci' },
    openstack: { loadBalancer: { enabled: false }, antiAffinity: 'hard', externalNetwork: '6d1b1e0a-2b3c-4d5e-8f90-a1b2c3d4e5f6', volumeType: 'ssd', region: 'RegionTwo' },
    backend: { type: 's3', bucket: 'state-bucket', region: 'us-east-1' },
  },
} as const;

describe('OpenStack stack conforms to the provider schema (terraform-provider-openstack 3.4.0)', () => {
  for (const [variant, patch] of Object.entries(VARIANTS)) {
    const json = synthOpenstack(exampleOpenstackCluster(patch));

    it(`${variant}: every resource is a known type with known, settable, well-typed arguments, required ones present, no conflicts, allowed values`, () => {
      const problems: string[] = [];
      let checked = 0;
      for (const [type, byName] of Object.entries(json.resource)) {
        const schema = resourceSchema(type);
        for (const [name, config] of Object.entries(byName)) {
          checked++;
          if (schema === undefined) problems.push(`${type}.${name}: unknown resource type`);
          else problems.push(...conformanceProblems(`${type}.${name}`, schema, config));
        }
      }
      assert.deepEqual(problems, []);
      assert.equal(checked, Object.values(json.resource).reduce((n, byName) => n + Object.keys(byName).length, 0));
    });

    it(`${variant}: every data source is a known type with known, settable arguments`, () => {
      const problems: string[] = [];
      for (const [type, byName] of Object.entries(json.data ?? {})) {
        const schema = dataSourceSchema(type);
        for (const [name, config] of Object.entries(byName)) {
          if (schema === undefined) problems.push(`data.${type}.${name}: unknown data source type`);
          else problems.push(...conformanceProblems(`data.${type}.${name}`, schema, config));
        }
      }
      assert.deepEqual(problems, []);
    });

    it(`${variant}: every ignore_changes entry is an argument of its resource type`, () => {
      for (const [type, byName] of Object.entries(json.resource)) {
        for (const [name, config] of Object.entries(byName)) {
          for (const ignored of config.lifecycle?.ignore_changes ?? []) assert.ok(argumentNames(type).has(ignored), `${type}.${name}: ${ignored}`);
        }
      }
    });
  }

  it('the edge\'s port-80 redirect is among the checked resources: its listener, L7 policy and L7 rule', () => {
    const json = synthOpenstack(exampleOpenstackCluster());
    assert.deepEqual(Object.keys(json.resource.openstack_lb_l7policy_v2 ?? {}), ['edge_http-redirect_policy']);
    assert.deepEqual(Object.keys(json.resource.openstack_lb_l7rule_v2 ?? {}), ['edge_http-redirect_every-path']);
    assert.ok('edge_http-redirect_listener' in json.resource.openstack_lb_listener_v2);
    for (const type of ['openstack_lb_l7policy_v2', 'openstack_lb_l7rule_v2']) assert.notEqual(resourceSchema(type), undefined, type);
  });

  it('the L7 schemas hold the provider\'s constraints: a redirect code only beside a prefix, enumerated actions, codes and comparisons', () => {
    const policy = resourceSchema('openstack_lb_l7policy_v2')!;
    const toUrl = conformanceProblems('p', policy, { listener_id: 'l', action: 'REDIRECT_TO_URL', redirect_url: 'https://example.net/', redirect_http_code: 301 });
    assert.ok(toUrl.includes('p.redirect_http_code: conflicts with redirect_url, both set'), toUrl.join('\n'));
    const wrong = conformanceProblems('p', policy, { listener_id: 'l', action: 'REDIRECT_HTTPS', redirect_prefix: 'https://x', redirect_http_code: 300 });
    assert.ok(wrong.some((p) => p.startsWith('p.action: "REDIRECT_HTTPS" is not one of')), wrong.join('\n'));
    assert.ok(wrong.some((p) => p.startsWith('p.redirect_http_code: 300 is not one of')), wrong.join('\n'));
    assert.deepEqual(conformanceProblems('p', policy, { listener_id: 'l', action: 'REDIRECT_PREFIX', redirect_prefix: 'https://x', redirect_http_code: 301 }), []);
    const rule = resourceSchema('openstack_lb_l7rule_v2')!;
    const badRule = conformanceProblems('r', rule, { l7policy_id: 'p', type: 'PATH', compare_type: 'BEGINS_WITH', value: '/', listener_id: 'l' });
    assert.ok(badRule.some((p) => p.startsWith('r.compare_type: "BEGINS_WITH" is not one of')), badRule.join('\n'));
    assert.ok(badRule.includes('r.listener_id: computed only, cannot be set'), badRule.join('\n'));
  });

  it('the checker catches what it claims to: unknown and computed arguments, types, required, conflicts, enums, ranges', () => {
    const rule = resourceSchema('openstack_networking_secgroup_rule_v2')!;
    const problems = conformanceProblems('r', rule, {
      direction: 'sideways',
      ethertype: 'IPv4',
      protocol: 'tcp',
      port_range_min: 70000,
      port_range_max: '22',
      remote_group_id: 'g',
      remote_ip_prefix: '10.0.0.0/8',
      colour: 'blue',
    });
    for (const expected of [
      'r.direction: "sideways" is not one of ingress, egress',
      'r.port_range_min: 70000 is above 65535',
      'r.port_range_max: "22" is not a number',
      'r.remote_group_id: conflicts with remote_ip_prefix, both set',
      'r.security_group_id: required, missing',
    ]) assert.ok(problems.includes(expected), `${expected} in\n${problems.join('\n')}`);
    assert.ok(problems.some((p) => p.startsWith('r.colour: not an argument')));
    const instance = resourceSchema('openstack_compute_instance_v2')!;
    assert.ok(conformanceProblems('i', instance, { name: 'x', access_ip_v4: '10.0.0.1' }).includes('i.access_ip_v4: computed only, cannot be set'));
    assert.ok(conformanceProblems('i', instance, { name: 'x', network: { port: 'p' } }).includes('i.network: must be a list of blocks (nesting list)'));
  });
});
