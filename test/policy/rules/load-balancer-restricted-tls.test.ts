import { describe, it } from 'node:test';
import { loadBalancerRestrictedTls } from '../../../lib/policy/rules/load-balancer-restricted-tls';
import { assertFails, assertPasses } from '../../support/policy-fixtures';

const https = (ssl_policy?: string) => ({ protocol: 'HTTPS', ssl_policy, certificate_arn: 'arn:aws:acm:us-east-1:123456789012:certificate/x' });

describe('rule load-balancer-restricted-tls', () => {
  it('passes the -Res- and TLS 1.3-only policies; plain HTTP is not judged', () => {
    assertPasses(loadBalancerRestrictedTls, {
      resource: {
        aws_lb_listener: {
          res: https('ELBSecurityPolicy-TLS13-1-2-Res-2021-06'),
          fips: https('ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04'),
          tls13: https('ELBSecurityPolicy-TLS13-1-3-2021-06'),
          redirect: { protocol: 'HTTP' },
        },
      },
    });
  });

  it('fails the plain TLS13-1-2 policy (CBC for TLS 1.2), an old one and none', () => {
    assertFails(
      loadBalancerRestrictedTls,
      { resource: { aws_lb_listener: { cbc: https('ELBSecurityPolicy-TLS13-1-2-2021-06'), old: https('ELBSecurityPolicy-2016-08'), unset: https() } } },
      { 'aws_lb_listener.cbc': /"ELBSecurityPolicy-TLS13-1-2-2021-06" offers CBC/, 'aws_lb_listener.old': /2016-08/, 'aws_lb_listener.unset': /"unset"/ },
    );
  });
});
