import { describe, it } from 'node:test';
import { securityGroupDescriptions } from '../../../lib/policy/rules/security-group-descriptions';
import { assertFails, assertPasses } from '../../support/policy-fixtures';

describe('rule security-group-descriptions', () => {
  it('passes described groups, inline rules and rule resources', () => {
    assertPasses(securityGroupDescriptions, {
      resource: {
        aws_security_group: { zk: { description: 'ZooKeeper servers', ingress: [{ from_port: 2181, to_port: 2181, description: 'clients' }] } },
        aws_vpc_security_group_ingress_rule: { r: { description: 'ZooKeeper clients: agents' } },
      },
    });
  });

  it('fails Terraform\'s default description, an undescribed inline rule and a bare rule resource', () => {
    assertFails(
      securityGroupDescriptions,
      {
        resource: {
          aws_security_group: { zk: { description: 'Managed by Terraform', ingress: [{ from_port: 2181, to_port: 2181 }] } },
          aws_vpc_security_group_egress_rule: { e: {} },
        },
      },
      { 'aws_security_group.zk': /the group, rule 2181-2181/, 'aws_vpc_security_group_egress_rule.e': /no description/ },
    );
  });
});
