import { judge, notApplicable, PolicyRule } from '../rule';
import { Block, blocks, referencedAddress, resourcesOf } from '../terraform-json';

/** AWS's predefined policies that offer nothing older than TLS 1.2. */
export const TLS_12_OR_NEWER = /^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-/;

/** Listeners of application load balancers serve HTTPS with TLS 1.2+; HTTP only redirects to HTTPS. */
export const loadBalancerHttps: PolicyRule = {
  id: 'load-balancer-https',
  level: 'error',
  clouds: ['aws'],
  summary: 'ALB listeners are HTTPS with a TLS 1.2+ policy and a certificate; HTTP only redirects to HTTPS',
  mirrors: {
    checkov: ['CKV_AWS_2', 'CKV_AWS_103', 'CKV2_AWS_20'],
    trivy: ['AVD-AWS-0054', 'AVD-AWS-0047'],
    kics: ['de7f5e83-da88-4046-871f-ea18504b1d43'],
  },
  explanation: 'The Mesos and Marathon UIs carry credentials and cluster state; they travel only over TLS 1.2 or newer',
  fix: 'use protocol = "HTTPS" with ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06" and the cluster file\'s aws.certificateArn; keep HTTP only as a redirect to HTTPS',
  evaluate: (stack) => {
    const balancers = new Map(resourcesOf(stack.json, 'aws_lb', 'aws_alb').map((lb) => [lb.address, lb.body]));
    return resourcesOf(stack.json, 'aws_lb_listener', 'aws_alb_listener').map(({ address, body }) => {
      const type = balancers.get(referencedAddress(body.load_balancer_arn) ?? '')?.load_balancer_type ?? 'application';
      const protocol = String(body.protocol ?? (type === 'application' ? 'HTTP' : 'TCP')).toUpperCase();
      if (protocol === 'HTTPS' || protocol === 'TLS') return judge(address, tlsProblem(body), `${protocol} with ${body.ssl_policy}`);
      if (protocol === 'HTTP') return judge(address, redirectsToHttps(body) ? undefined : 'plain HTTP that forwards traffic', 'HTTP that only redirects to HTTPS');
      return notApplicable(address, `a ${protocol} listener of a ${type} load balancer`);
    });
  },
};

function tlsProblem(listener: Block): string | undefined {
  if (!TLS_12_OR_NEWER.test(String(listener.ssl_policy ?? ''))) {
    return `ssl_policy ${JSON.stringify(listener.ssl_policy ?? 'unset (ELBSecurityPolicy-2016-08, TLS 1.0)')} allows TLS older than 1.2`;
  }
  if (typeof listener.certificate_arn !== 'string' || listener.certificate_arn === '') return 'no certificate_arn';
  return undefined;
}

function redirectsToHttps(listener: Block): boolean {
  const actions = blocks(listener.default_action);
  return actions.length > 0 && actions.every((a) => a.type === 'redirect' && String(blocks(a.redirect)[0]?.protocol).toUpperCase() === 'HTTPS');
}
