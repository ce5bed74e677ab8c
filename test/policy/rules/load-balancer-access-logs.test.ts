import { describe, it } from 'node:test';
import { loadBalancerAccessLogs } from '../../../lib/policy/rules/load-balancer-access-logs';
import { assertFails, assertPasses } from '../../support/policy-fixtures';

describe('rule load-balancer-access-logs', () => {
  it('passes a load balancer that logs to a bucket', () => {
    assertPasses(loadBalancerAccessLogs, { resource: { aws_lb: { ui: { access_logs: { bucket: '${aws_s3_bucket.logs.id}', enabled: true } } } } });
  });

  it('fails one without access logs and one whose logs are named but not enabled', () => {
    assertFails(
      loadBalancerAccessLogs,
      { resource: { aws_lb: { bare: {}, named: { access_logs: { bucket: 'logs' } } } } },
      { 'aws_lb.bare': /no access logs/, 'aws_lb.named': /no access logs/ },
    );
  });
});
