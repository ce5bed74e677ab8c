import { describe, it } from 'node:test';
import { loadBalancerHttps } from '../../../lib/policy/rules/load-balancer-https';
import { assertFails, assertPasses } from '../../support/policy-fixtures';

const lb = { load_balancer_type: 'application' };
const https = { load_balancer_arn: '${aws_lb.ui.arn}', protocol: 'HTTPS', ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', certificate_arn: 'arn:aws:acm:us-east-1:123456789012:certificate/x' };

describe('rule load-balancer-https', () => {
  it('passes HTTPS with a TLS 1.2+ policy and HTTP that only redirects to HTTPS', () => {
    assertPasses(loadBalancerHttps, {
      resource: {
        aws_lb: { ui: lb },
        aws_lb_listener: {
          tls: https,
          redirect: { load_balancer_arn: '${aws_lb.ui.arn}', protocol: 'HTTP', default_action: [{ type: 'redirect', redirect: { protocol: 'HTTPS', status_code: 'HTTP_301' } }] },
        },
      },
    });
  });

  it('fails forwarding HTTP, a TLS 1.0 policy and HTTPS without a policy', () => {
    assertFails(
      loadBalancerHttps,
      {
        resource: {
          aws_lb: { ui: lb },
          aws_lb_listener: {
            plain: { load_balancer_arn: '${aws_lb.ui.arn}', protocol: 'HTTP', default_action: [{ type: 'forward', target_group_arn: 'x' }] },
            old: { ...https, ssl_policy: 'ELBSecurityPolicy-2016-08' },
            unset: { ...https, ssl_policy: undefined },
          },
        },
      },
      { 'aws_lb_listener.plain': /plain HTTP/, 'aws_lb_listener.old': /"ELBSecurityPolicy-2016-08" allows TLS older/, 'aws_lb_listener.unset': /unset/ },
    );
  });
});
