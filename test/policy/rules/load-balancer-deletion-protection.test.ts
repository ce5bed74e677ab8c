import { describe, it } from 'node:test';
import { loadBalancerDeletionProtection } from '../../../lib/policy/rules/load-balancer-deletion-protection';
import { assertFails, assertPasses } from '../../support/policy-fixtures';

describe('rule load-balancer-deletion-protection', () => {
  it('passes a load balancer with deletion protection', () => {
    assertPasses(loadBalancerDeletionProtection, { resource: { aws_lb: { ui: { enable_deletion_protection: true } } } });
  });

  it('fails one without it, and one with it off', () => {
    assertFails(
      loadBalancerDeletionProtection,
      { resource: { aws_lb: { unset: {} }, aws_alb: { off: { enable_deletion_protection: false } } } },
      { 'aws_lb.unset': /deletion protection is off/, 'aws_alb.off': /deletion protection is off/ },
    );
  });
});
