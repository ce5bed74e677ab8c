import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isWorld, noWorldIngress } from '../../../lib/policy/rules/no-world-ingress';
import { assertFails, assertPasses } from '../../support/policy-fixtures';

describe('rule no-world-ingress', () => {
  it('passes an admin network and group sources', () => {
    assertPasses(noWorldIngress, {
      resource: {
        aws_security_group: { b: { description: 'x' } },
        aws_vpc_security_group_ingress_rule: { ssh: { security_group_id: '${aws_security_group.b.id}', cidr_ipv4: '198.51.100.0/24', from_port: 22, to_port: 22 } },
      },
    });
  });

  it('fails 0.0.0.0/0 in a rule resource, ::/0 inline and a /7', () => {
    assertFails(
      noWorldIngress,
      {
        resource: {
          aws_security_group: { b: { ingress: [{ from_port: 443, to_port: 443, protocol: 'tcp', ipv6_cidr_blocks: ['::/0'] }] } },
          aws_vpc_security_group_ingress_rule: { any: { security_group_id: '${aws_security_group.b.id}', cidr_ipv4: '0.0.0.0/0', ip_protocol: '-1' } },
          aws_security_group_rule: { wide: { type: 'ingress', security_group_id: '${aws_security_group.b.id}', cidr_blocks: ['8.0.0.0/7'], from_port: 22, to_port: 22 } },
        },
      },
      {
        'aws_security_group.b': /::\/0 to ports 443-443/,
        'aws_vpc_security_group_ingress_rule.any': /0\.0\.0\.0\/0 to ports 0-65535/,
        'aws_security_group_rule.wide': /8\.0\.0\.0\/7/,
      },
    );
  });

  it('counts IPv4 prefixes shorter than /8 and IPv6 shorter than /16 as the world', () => {
    assert.deepEqual(['0.0.0.0/0', '0.0.0.0/1', '8.0.0.0/7', '10.0.0.0/8', '::/0', '2001:db8::/32'].map(isWorld), [true, true, true, false, true, false]);
  });
});
