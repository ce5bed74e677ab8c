import { judge, PolicyRule } from '../rule';
import { blocks, referencedAddress, resourcesOf } from '../terraform-json';

/** Each VPC's default security group is managed by the stack and holds no rule. */
export const defaultSecurityGroupClosed: PolicyRule = {
  id: 'default-security-group-closed',
  level: 'error',
  clouds: ['aws'],
  summary: 'the VPC\'s default group is managed and has no rules',
  mirrors: { checkov: ['CKV2_AWS_12'], trivy: ['AVD-AWS-0173'], kics: ['46883ce1-dc3e-4b17-9195-c6a601624c73'] },
  explanation: 'AWS puts anything launched without a group into the default group, which lets its members talk to each other and out',
  fix: 'manage it with aws_default_security_group { vpc_id = ... } and no ingress or egress blocks, which removes every rule (lib/aws/default-security-group.ts)',
  evaluate: (stack) => {
    const defaults = resourcesOf(stack.json, 'aws_default_security_group');
    return resourcesOf(stack.json, 'aws_vpc').map(({ address }) => {
      const managed = defaults.find((d) => referencedAddress(d.body.vpc_id) === address);
      if (managed === undefined) return judge(address, 'its default security group is not managed, so it keeps AWS\'s allow-all rules', '');
      const rules = blocks(managed.body.ingress).length + blocks(managed.body.egress).length;
      return judge(address, rules === 0 ? undefined : `${managed.address} keeps ${rules} rule(s)`, `${managed.address} has no rules`);
    });
  },
};
