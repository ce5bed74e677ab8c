import { judge, PolicyRule } from '../rule';
import { blocks, resourcesOf } from '../terraform-json';

/** Terraform's default description says nothing about the group. */
const MEANINGLESS = ['', 'Managed by Terraform'];

/** Every security group and every rule says what it is for. */
export const securityGroupDescriptions: PolicyRule = {
  id: 'security-group-descriptions',
  level: 'error',
  clouds: ['aws'],
  summary: 'every group and every rule has a description (not "Managed by Terraform")',
  mirrors: {
    checkov: ['CKV_AWS_23'],
    trivy: ['AVD-AWS-0099', 'AVD-AWS-0124'],
    kics: ['cb3f5ed6-0d18-40de-a93d-b3538db31e8c', '68eb4bf3-f9bf-463d-b5cf-e029bb446d2e'],
  },
  explanation: 'A reviewer must be able to tell why each group and each opening exists',
  fix: 'give the group and each rule a description (firewall rules take theirs from lib/model/firewall.ts)',
  evaluate: (stack) => [
    ...resourcesOf(stack.json, 'aws_security_group').map(({ address, body }) => {
      const missing = [
        ...(described(body.description) ? [] : ['the group']),
        ...[...blocks(body.ingress), ...blocks(body.egress)].filter((r) => !described(r.description)).map((r) => `rule ${r.from_port}-${r.to_port}`),
      ];
      return judge(address, missing.length === 0 ? undefined : `no description on ${missing.join(', ')}`, 'described');
    }),
    ...resourcesOf(stack.json, 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule').map(({ address, body }) =>
      judge(address, described(body.description) ? undefined : 'the rule has no description', 'described'),
    ),
  ],
};

function described(text: unknown): boolean {
  return typeof text === 'string' && !MEANINGLESS.includes(text.trim());
}
