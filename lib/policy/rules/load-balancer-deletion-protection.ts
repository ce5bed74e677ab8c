import { judge, PolicyRule } from '../rule';
import { isTrue, resourcesOf } from '../terraform-json';

/** The load balancer, the cluster's front door, cannot be deleted by accident. */
export const loadBalancerDeletionProtection: PolicyRule = {
  id: 'load-balancer-deletion-protection',
  level: 'error',
  clouds: ['aws'],
  summary: 'every load balancer has deletion protection on',
  mirrors: { checkov: ['CKV_AWS_150'], trivy: [], kics: ['afecd1f1-6378-4f7e-bb3b-60c35801fdd4'] },
  explanation: 'The UI load balancer carries every UI, API and Jenkins URL (and their DNS names); a stray destroy or apply must not delete it',
  fix: 'set enable_deletion_protection = true (lib/aws/ui-load-balancer.ts); to remove a cluster, set it false and apply first',
  evaluate: (stack) =>
    resourcesOf(stack.json, 'aws_lb', 'aws_alb').map(({ address, body }) =>
      judge(address, isTrue(body.enable_deletion_protection) ? undefined : 'deletion protection is off', 'deletion protection on'),
    ),
};
