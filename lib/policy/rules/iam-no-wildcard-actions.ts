import { judge, notApplicable, PolicyRule, RuleResult } from '../rule';
import { blocks, dataOf, referencedAddress, resourcesOf } from '../terraform-json';

/** `*` or `service:*`: every action, or every action of a service. */
const WILDCARD_ACTION = /^([a-z0-9-]+:)?\*$/i;

/** No IAM statement grants every action, of AWS or of a service, and none uses NotAction. */
export const iamNoWildcardActions: PolicyRule = {
  id: 'iam-no-wildcard-actions',
  level: 'error',
  clouds: ['aws'],
  summary: 'no IAM statement grants `*` or `service:*`, none uses `NotAction`',
  mirrors: {
    checkov: ['CKV_AWS_62', 'CKV_AWS_63'],
    trivy: ['AVD-AWS-0057'],
    kics: ['2f37c4a3-58b9-4afe-8a87-d7f1d2286f84', '575a2155-6af1-4026-b1af-d5bc8fe2a904'],
  },
  explanation: 'Roles get the actions they use by name, so a node that is taken over cannot do more than its job',
  fix: 'list the actions the role needs (e.g. logs:PutLogEvents) instead of "*" or "service:*", and use Action rather than NotAction',
  evaluate: (stack) => [
    ...resourcesOf(stack.json, 'aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy').map(({ address, body }) =>
      judgeDocument(address, body.policy),
    ),
    ...resourcesOf(stack.json, 'aws_iam_role').flatMap(({ address, body }) => blocks(body.inline_policy).map((p) => judgeDocument(address, p.policy))),
    ...dataOf(stack.json, 'aws_iam_policy_document').map(({ address, body }) => {
      const statements = blocks(body.statement);
      const problems = statements.flatMap((s) => [...(s.actions ?? []).filter((a: string) => WILDCARD_ACTION.test(a)), ...(s.not_actions ? ['NotAction'] : [])]);
      return judge(address, problemText(problems), 'actions named');
    }),
  ],
};

function judgeDocument(address: string, policy: unknown): RuleResult {
  if (referencedAddress(policy) !== undefined) return notApplicable(address, `the document is ${policy}, checked on its own`);
  let document: any;
  try {
    document = JSON.parse(String(policy));
  } catch {
    return judge(address, 'the policy is not a JSON document the rule can read', '');
  }
  const statements = Array.isArray(document?.Statement) ? document.Statement : [document?.Statement].filter(Boolean);
  const problems = statements.flatMap((s: any) => [
    ...[s.Action ?? []].flat().filter((a: unknown) => typeof a === 'string' && WILDCARD_ACTION.test(a)),
    ...(s.NotAction !== undefined ? ['NotAction'] : []),
  ]);
  return judge(address, problemText(problems), 'actions named');
}

function problemText(problems: string[]): string | undefined {
  return problems.length === 0 ? undefined : `grants ${[...new Set(problems)].map((p) => JSON.stringify(p)).join(', ')}`;
}
