import { judge, PolicyRule } from '../rule';
import { referencedAddress, resourcesOf } from '../terraform-json';

/** Accepted and rejected traffic both: ALL, or at least REJECT (what trivy asks for). */
const TRAFFIC = ['ALL', 'REJECT'];

/** Every VPC records its traffic, so a probe of the cluster's ports leaves a trace. */
export const vpcFlowLogs: PolicyRule = {
  id: 'vpc-flow-logs',
  level: 'error',
  clouds: ['aws'],
  summary: 'every VPC has a flow log of `ALL` (or `REJECT`) traffic',
  mirrors: { checkov: ['CKV2_AWS_11'], trivy: ['AVD-AWS-0178'], kics: ['f83121ea-03da-434f-9277-9cd247ab3047'] },
  explanation: 'Each VPC has a flow log of at least rejected traffic',
  fix: 'add an aws_flow_log with vpc_id and traffic_type = "ALL" (lib/aws/vpc-flow-log.ts)',
  evaluate: (stack) => {
    const logs = resourcesOf(stack.json, 'aws_flow_log');
    return resourcesOf(stack.json, 'aws_vpc').map(({ address }) => {
      const log = logs.find((l) => referencedAddress(l.body.vpc_id) === address && TRAFFIC.includes(String(l.body.traffic_type)));
      return judge(address, log ? undefined : 'no flow log records its traffic', `logged by ${log?.address}`);
    });
  },
};
