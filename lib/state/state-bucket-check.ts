import { S3BackendSpec } from '../model';
import { stateMessages } from './messages';

/** Runs `aws <args>` (the AWS CLI, with the operator's credentials) and returns what it printed. */
export type AwsCliRunner = (args: readonly string[]) => Promise<{ code: number; stdout: string; stderr: string }>;

/** The first line of an AWS CLI error, without its blank lines. */
function firstLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? 'no output';
}

/**
 * What the S3 backend needs of the place it keeps state, checked against the real bucket and
 * table (nothing here creates them): versioning on, so every state write keeps the one before it
 * and a broken write can be rolled back; default encryption; and, when a lock table is named, a
 * string hash key `LockID`, the only schema Terraform locks with. One line per problem.
 */
export async function stateBackendProblems(backend: S3BackendSpec, aws: AwsCliRunner): Promise<string[]> {
  const region = ['--region', backend.region, '--output', 'json'];
  const problems: string[] = [];
  const versioning = await aws(['s3api', 'get-bucket-versioning', '--bucket', backend.bucket, ...region]);
  if (versioning.code !== 0) return [stateMessages.unreadable(`s3://${backend.bucket}`, firstLine(versioning.stderr))];
  const status = (JSON.parse(versioning.stdout || '{}') as { Status?: string }).Status;
  if (status !== 'Enabled') problems.push(stateMessages.versioning(backend.bucket, status === undefined ? 'off' : status));
  const encryption = await aws(['s3api', 'get-bucket-encryption', '--bucket', backend.bucket, ...region]);
  if (encryption.code !== 0 && /ServerSideEncryptionConfigurationNotFound/.test(encryption.stderr)) problems.push(stateMessages.encryption(backend.bucket));
  else if (encryption.code !== 0) problems.push(stateMessages.unreadable(`s3://${backend.bucket} encryption`, firstLine(encryption.stderr)));
  if (backend.dynamodbTable !== undefined) {
    const table = await aws(['dynamodb', 'describe-table', '--table-name', backend.dynamodbTable, ...region]);
    if (table.code !== 0) problems.push(stateMessages.unreadable(`dynamodb table ${backend.dynamodbTable}`, firstLine(table.stderr)));
    else {
      const described = JSON.parse(table.stdout).Table as { KeySchema: { AttributeName: string; KeyType: string }[]; AttributeDefinitions: { AttributeName: string; AttributeType: string }[] };
      const hash = described.KeySchema.find((k) => k.KeyType === 'HASH')?.AttributeName ?? 'missing';
      const type = described.AttributeDefinitions.find((a) => a.AttributeName === hash)?.AttributeType;
      if (hash !== 'LockID' || type !== 'S') problems.push(stateMessages.lockKey(backend.dynamodbTable, `${hash} (${type ?? '?'})`));
    }
  }
  return problems;
}
