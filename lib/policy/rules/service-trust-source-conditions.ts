import { judge, notApplicable, NO_SCANNER, PolicyRule } from '../rule';
import { iamDocuments, IamDocumentStatement, listOf } from '../iam-documents';

/**
 * EC2 assumes instance roles for an instance profile, not on behalf of a caller's resource: it
 * sends no aws:SourceArn, so the conditions would lock the instances out.
 */
const NO_SOURCE_CONTEXT = ['ec2.amazonaws.com'];
const SOURCE_KEYS = ['aws:SourceAccount', 'aws:SourceArn'];

/** A role that an AWS service assumes is for this account's own resources of that service only. */
export const serviceTrustSourceConditions: PolicyRule = {
  id: 'service-trust-source-conditions',
  level: 'error',
  clouds: ['aws'],
  summary: 'a role trusting an AWS service (other than EC2) requires `aws:SourceAccount` and `aws:SourceArn`',
  mirrors: NO_SCANNER,
  explanation: 'A trust policy that admits an AWS service (flow logs, DLM) requires aws:SourceAccount and aws:SourceArn, so another account cannot make the service act with the role (confused deputy)',
  fix: 'add Condition { StringEquals aws:SourceAccount = <account>, ArnLike aws:SourceArn = arn:…:<account>:<resource>/* } (lib/aws/service-trust.ts)',
  evaluate: (stack) =>
    iamDocuments(stack.json, 'aws_iam_role').map(({ address, statements }) => {
      if (statements === undefined) return notApplicable(address, 'the trust policy is not literal JSON here');
      const services = statements.filter((s) => s.Effect === 'Allow' && servicesOf(s).some((p) => !NO_SOURCE_CONTEXT.includes(p)));
      if (services.length === 0) return notApplicable(address, 'trusts no service that acts for a source resource');
      const bare = services.filter((s) => SOURCE_KEYS.some((key) => !conditionKeys(s).includes(key.toLowerCase())));
      return judge(address, bare.length > 0 ? `trusts ${bare.flatMap(servicesOf).join(', ')} without ${SOURCE_KEYS.join(' and ')}` : undefined, 'service trust bound to its source');
    }),
};

function servicesOf(statement: IamDocumentStatement): string[] {
  return listOf(statement.Principal?.Service);
}

function conditionKeys(statement: IamDocumentStatement): string[] {
  return Object.values(statement.Condition ?? {}).flatMap((byKey: any) => Object.keys(byKey ?? {}).map((k) => k.toLowerCase()));
}
