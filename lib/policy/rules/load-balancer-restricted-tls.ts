import { judge, notApplicable, NO_SCANNER, PolicyRule } from '../rule';
import { resourcesOf } from '../terraform-json';

/**
 * AWS's policies that offer no CBC suite: TLS 1.3 only, or TLS 1.2 restricted to AEAD suites
 * (the `-Res-` ones), FIPS variants included.
 */
export const NO_CBC_SUITES = /^ELBSecurityPolicy-TLS13-1-(2-Res|3)(-FIPS)?-\d{4}-\d{2}$/;

/** HTTPS listeners offer only AEAD cipher suites: TLS 1.2's CBC suites are gone. */
export const loadBalancerRestrictedTls: PolicyRule = {
  id: 'load-balancer-restricted-tls',
  level: 'error',
  clouds: ['aws'],
  summary: 'HTTPS listeners use a policy without CBC suites (`ELBSecurityPolicy-TLS13-1-2-Res-2021-06`, TLS 1.3-only or FIPS variants)',
  mirrors: NO_SCANNER,
  explanation: 'TLS listeners use a policy without CBC suites (padding-oracle prone), as AWS\'s own console default does',
  fix: 'use ssl_policy = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06" (lib/aws/ui-load-balancer.ts UI_TLS_POLICY)',
  evaluate: (stack) =>
    resourcesOf(stack.json, 'aws_lb_listener', 'aws_alb_listener').map(({ address, body }) => {
      const protocol = String(body.protocol ?? '').toUpperCase();
      if (protocol !== 'HTTPS' && protocol !== 'TLS') return notApplicable(address, `a ${protocol || 'plain'} listener`);
      const policy = String(body.ssl_policy ?? '');
      return judge(address, NO_CBC_SUITES.test(policy) ? undefined : `ssl_policy ${JSON.stringify(policy || 'unset')} offers CBC suites`, `${policy}: AEAD suites only`);
    }),
};
