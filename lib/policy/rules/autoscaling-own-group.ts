import { judge, notApplicable, NO_SCANNER, PolicyRule } from '../rule';
import { iamDocuments, IamDocumentStatement, listOf } from '../iam-documents';

/** One Auto Scaling group by its exact name: no wildcard after `autoScalingGroupName/`. */
const ONE_GROUP = /^arn:[^:]+:autoscaling:[^:]+:[^:]+:autoScalingGroup:\*:autoScalingGroupName\/[^*?]+$/;
const POOL_TAG = 'autoscaling:ResourceTag/pool';

/** A role that may change an Auto Scaling group may change only its own pool's group. */
export const autoscalingOwnGroup: PolicyRule = {
  id: 'autoscaling-own-group',
  level: 'error',
  clouds: ['aws'],
  summary: 'a statement allowing Auto Scaling changes names one group exactly and has an `autoscaling:ResourceTag/pool` condition',
  mirrors: NO_SCANNER,
  explanation: "An agent's role acts on its own pool's Auto Scaling group only, by exact name and pool tag, so a build node cannot complete hooks or change health in another pool",
  fix: 'name the one group (arn:…:autoScalingGroupName/<cluster>-<pool>, no *) and add Condition StringEquals autoscaling:ResourceTag/pool = <pool> (lib/aws/agent-lifecycle-statements.ts)',
  evaluate: (stack) =>
    iamDocuments(stack.json, 'aws_iam_policy', 'aws_iam_role_policy').map(({ address, statements }) => {
      const writes = (statements ?? []).filter((s) => s.Effect === 'Allow' && listOf(s.Action).some(changesAGroup));
      if (writes.length === 0) return notApplicable(address, 'changes no Auto Scaling group');
      const problems = writes.map(problemOf).filter((p): p is string => p !== undefined);
      return judge(address, problems.length > 0 ? problems.join('; ') : undefined, 'acts on one group, by name and pool tag');
    }),
};

/** Every autoscaling action but the read-only Describe calls (which IAM cannot scope). */
function changesAGroup(action: string): boolean {
  return /^autoscaling:/i.test(action) && !/^autoscaling:Describe/i.test(action);
}

function problemOf(statement: IamDocumentStatement): string | undefined {
  const resources = listOf(statement.Resource);
  const wide = resources.filter((r) => !ONE_GROUP.test(r));
  if (resources.length === 0 || wide.length > 0) return `${statement.Sid ?? 'a statement'} acts on ${JSON.stringify(wide.length > 0 ? wide : 'no named group')}`;
  if (statement.Condition?.StringEquals?.[POOL_TAG] === undefined) return `${statement.Sid ?? 'a statement'} has no ${POOL_TAG} condition`;
  return undefined;
}
