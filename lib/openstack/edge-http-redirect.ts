import { Construct } from 'constructs';
import { PORTS } from '../model';
import { LbL7PolicyV2 } from './generated/providers/openstack/lb-l7policy-v2';
import { LbL7RuleV2 } from './generated/providers/openstack/lb-l7rule-v2';
import { LbListenerV2 } from './generated/providers/openstack/lb-listener-v2';

export interface EdgeHttpRedirectProps {
  /** Names the listener and the policy (`<name>-<suffix>`). */
  readonly clusterName: string;
  /** @default 'edge-http' (the UI load balancer without an edge: 'ui-http') */
  readonly nameSuffix?: string;
  /** @default the edge's: admin CIDRs and edge.cidrs */
  readonly description?: string;
  /** The Octavia load balancer that carries the edge's HTTPS listener. */
  readonly loadBalancerId: string;
  /** Who may connect: the same networks as the edge's HTTPS listener. */
  readonly allowedCidrs: readonly string[];
  /**
   * Scheme and host that every request is sent to, path and query kept: `https://<host>`, no
   * path. Octavia refuses a prefix without both (`validate.url`: scheme http or https, a host).
   */
  readonly httpsPrefix: string;
}

/**
 * Plain HTTP on port 80 of the edge's load balancer, answered only with a 301 to HTTPS, as on
 * AWS: a listener with no pool, and one L7 policy that matches every request.
 *
 * - REDIRECT_PREFIX, not REDIRECT_TO_URL: Octavia writes HAProxy's `redirect prefix`, which keeps
 *   the path and query; a URL would send every request to one page. The provider also lets
 *   `redirect_http_code` (301, 302, 303, 307, 308; Octavia API 2.9 or newer) be set only with a
 *   prefix: it conflicts with `redirect_url`, and Octavia's default is 302.
 * - The rule: Octavia leaves a policy without rules out of HAProxy's configuration, so it would
 *   never match, and a request nothing matches gets HAProxy's 503 (no default pool). Every
 *   request path starts with "/".
 */
export class EdgeHttpRedirect extends Construct {
  readonly listener: LbListenerV2;
  readonly policy: LbL7PolicyV2;

  constructor(scope: Construct, id: string, props: EdgeHttpRedirectProps) {
    super(scope, id);
    const name = `${props.clusterName}-${props.nameSuffix ?? 'edge-http'}`;
    this.listener = new LbListenerV2(this, 'listener', {
      name,
      loadbalancerId: props.loadBalancerId,
      protocol: 'HTTP',
      protocolPort: PORTS.loadBalancerHttp,
      allowedCidrs: [...props.allowedCidrs],
      description: props.description ?? 'Plain HTTP to the edge: only a redirect to HTTPS (admin CIDRs and edge.cidrs)',
    });
    this.policy = new LbL7PolicyV2(this, 'policy', {
      name,
      listenerId: this.listener.id,
      action: 'REDIRECT_PREFIX',
      redirectPrefix: props.httpsPrefix,
      redirectHttpCode: 301,
      description: 'Every request to HTTPS, same path and query',
    });
    new LbL7RuleV2(this, 'every-path', { l7PolicyId: this.policy.id, type: 'PATH', compareType: 'STARTS_WITH', value: '/' });
  }
}
