import { judge, PolicyRule } from '../rule';
import { blocks, isTrue, resourcesOf } from '../terraform-json';

/** Every load balancer writes access logs, so who used the UIs can be answered later. */
export const loadBalancerAccessLogs: PolicyRule = {
  id: 'load-balancer-access-logs',
  level: 'error',
  clouds: ['aws'],
  summary: 'every load balancer has access logs enabled to a bucket',
  mirrors: { checkov: ['CKV_AWS_91', 'CKV_AWS_92'], trivy: [], kics: ['3e34db4f-0ad9-4290-bfd0-4a9ee884acaf'] },
  explanation: 'Requests to the Mesos and Marathon UIs are recorded in an access log',
  fix: 'add access_logs { bucket = <the encrypted log bucket>, enabled = true } (lib/aws/access-log-bucket.ts)',
  evaluate: (stack) =>
    resourcesOf(stack.json, 'aws_lb', 'aws_alb', 'aws_elb').map(({ address, body }) => {
      const [logs] = blocks(body.access_logs);
      // aws_lb's access_logs are off unless enabled = true; the classic aws_elb's are on by default.
      const enabled = logs !== undefined && (isTrue(logs.enabled) || (address.startsWith('aws_elb.') && logs.enabled === undefined));
      return judge(address, enabled && logs.bucket ? undefined : 'no access logs', `access logs to ${logs?.bucket}`);
    }),
};
