import { describe, it } from 'node:test';
import { defaultSecurityGroupClosed } from '../../../lib/policy/rules/default-security-group-closed';
import { assertFails, assertPasses } from '../../support/policy-fixtures';

describe('rule default-security-group-closed', () => {
  it('passes a VPC whose default group is managed with no rules', () => {
    assertPasses(defaultSecurityGroupClosed, { resource: { aws_vpc: { v: {} }, aws_default_security_group: { d: { vpc_id: '${aws_vpc.v.id}' } } } });
  });

  it('fails an unmanaged default group and one that keeps a rule', () => {
    assertFails(
      defaultSecurityGroupClosed,
      {
        resource: {
          aws_vpc: { bare: {}, open: {} },
          aws_default_security_group: { d: { vpc_id: '${aws_vpc.open.id}', egress: [{ protocol: '-1', cidr_blocks: ['0.0.0.0/0'] }] } },
        },
      },
      { 'aws_vpc.bare': /not managed/, 'aws_vpc.open': /keeps 1 rule/ },
    );
  });
});
