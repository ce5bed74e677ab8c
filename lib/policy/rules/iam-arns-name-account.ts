import { judge, notApplicable, NO_SCANNER, PolicyRule } from '../rule';
import { iamDocuments, IamDocumentStatement, listOf } from '../iam-documents';

/** arn:partition:service:region:account:…, the account the fifth field. */
const ARN = /^arn:[^:]*:[^:]*:[^:]*:([^:]*):/;

/** ARNs in policies name their account: the stack knows it (aws_caller_identity). */
export const iamArnsNameAccount: PolicyRule = {
  id: 'iam-arns-name-account',
  level: 'error',
  clouds: ['aws'],
  summary: 'no ARN in a policy (identity, bucket or trust) has `*` for its account',
  mirrors: NO_SCANNER,
  explanation: 'Every ARN in a policy names the account it means, so a grant never reaches a like-named resource of another account',
  fix: 'put the account id of data.aws_caller_identity in the ARN instead of "*" (lib/aws/aws-account.ts)',
  evaluate: (stack) =>
    iamDocuments(stack.json).map(({ address, statements }) => {
      if (statements === undefined) return notApplicable(address, 'the document is not literal JSON here');
      const wild = statements.flatMap(arnsOf).filter((arn) => (ARN.exec(arn)?.[1] ?? '').includes('*'));
      return judge(address, wild.length > 0 ? `ARNs with any account: ${[...new Set(wild)].join(', ')}` : undefined, 'every ARN names its account');
    }),
};

/** ARNs in Resource, NotResource and condition values. */
function arnsOf(statement: IamDocumentStatement): string[] {
  const conditionValues = Object.values(statement.Condition ?? {}).flatMap((byKey: any) => Object.values(byKey ?? {}).flatMap(listOf));
  return [...listOf(statement.Resource), ...listOf(statement.NotResource), ...conditionValues].filter((v) => v.startsWith('arn:'));
}
