import { referencedAddress, resourcesOf, TerraformJson } from './terraform-json';

/** One statement of an IAM policy document, as JSON has it. */
export type IamDocumentStatement = Record<string, any>;

/** A literal IAM document of a resource; `statements` undefined when it is a reference or not JSON. */
export interface IamDocument {
  readonly address: string;
  readonly statements: readonly IamDocumentStatement[] | undefined;
}

/** Identity policies, bucket policies and trust policies: every literal document in the stack. */
const DOCUMENT_ATTRIBUTES: Readonly<Record<string, string>> = {
  aws_iam_policy: 'policy',
  aws_iam_role_policy: 'policy',
  aws_iam_user_policy: 'policy',
  aws_iam_group_policy: 'policy',
  aws_s3_bucket_policy: 'policy',
  aws_iam_role: 'assume_role_policy',
};

export function iamDocuments(json: TerraformJson, ...types: string[]): IamDocument[] {
  const wanted = types.length > 0 ? types : Object.keys(DOCUMENT_ATTRIBUTES);
  return wanted.flatMap((type) =>
    resourcesOf(json, type).map(({ address, body }) => ({ address, statements: statementsOf(body[DOCUMENT_ATTRIBUTES[type]]) })),
  );
}

function statementsOf(document: unknown): IamDocumentStatement[] | undefined {
  if (typeof document !== 'string' || referencedAddress(document) !== undefined) return undefined;
  try {
    const parsed = JSON.parse(document);
    return [parsed?.Statement ?? []].flat().filter((s) => typeof s === 'object' && s !== null);
  } catch {
    return undefined;
  }
}

/** A statement's field as a list of strings (`"x"` and `["x"]` alike). */
export function listOf(value: unknown): string[] {
  return [value ?? []].flat().filter((v): v is string => typeof v === 'string');
}
