import { judge, NO_SCANNER, PolicyRule } from '../rule';
import { referencedAddress, resourcesOf } from '../terraform-json';

const REDIRECTS = ['REDIRECT_PREFIX', 'REDIRECT_TO_URL'];

/** Octavia listeners terminate TLS; plain HTTP only redirects to HTTPS, as on AWS. */
export const openstackListenersTls: PolicyRule = {
  id: 'openstack-listeners-tls',
  level: 'error',
  clouds: ['openstack'],
  summary: 'Octavia listeners are `TERMINATED_HTTPS` with a certificate; HTTP listeners have no pool and only redirect to `https://`',
  mirrors: NO_SCANNER,
  explanation: "Every Octavia listener that carries credentials (the UIs' Marathon password, Jenkins logins) is TERMINATED_HTTPS on the floating IP; an HTTP listener has no pool and only redirects to https://",
  fix: 'use protocol = "TERMINATED_HTTPS" with default_tls_container_ref (lib/openstack/ui-load-balancer.ts); keep HTTP only as a listener without pool whose L7 policy redirects to an https:// prefix (edge-http-redirect.ts)',
  evaluate: (stack) => {
    const pooled = new Set(resourcesOf(stack.json, 'openstack_lb_pool_v2').map((p) => referencedAddress(p.body.listener_id)));
    const redirected = new Set(
      resourcesOf(stack.json, 'openstack_lb_l7policy_v2')
        .filter((p) => REDIRECTS.includes(String(p.body.action)) && /^https:\/\//.test(String(p.body.redirect_prefix ?? p.body.redirect_url ?? '')))
        .map((p) => referencedAddress(p.body.listener_id)),
    );
    return resourcesOf(stack.json, 'openstack_lb_listener_v2').map(({ address, body }) => {
      const protocol = String(body.protocol ?? '');
      if (protocol === 'TERMINATED_HTTPS') return judge(address, body.default_tls_container_ref ? undefined : 'no default_tls_container_ref', 'TERMINATED_HTTPS');
      const redirectOnly = protocol === 'HTTP' && redirected.has(address) && !pooled.has(address) && body.default_pool_id === undefined;
      return judge(address, redirectOnly ? undefined : `${protocol} that ${protocol === 'HTTP' ? 'forwards traffic in clear' : 'is not TERMINATED_HTTPS'}`, 'HTTP that only redirects to HTTPS');
    });
  },
};
