/** The state-backend check's lines, one per problem, each with the fix. */
export const stateMessages = {
  notS3: (file: string) => `${file}: backend is not type s3; a local state has no bucket to check (set backend: {type: s3, bucket, region, dynamodbTable})`,
  unreadable: (what: string, detail: string) => `${what}: could not be read: ${detail}`,
  versioning: (bucket: string, status: string) =>
    `s3://${bucket}: versioning is ${status}; every state write must keep the one before it (aws s3api put-bucket-versioning --bucket ${bucket} --versioning-configuration Status=Enabled)`,
  encryption: (bucket: string) =>
    `s3://${bucket}: no default encryption; the state holds every resource's attributes (aws s3api put-bucket-encryption --bucket ${bucket} --server-side-encryption-configuration '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms"}}]}')`,
  lockKey: (table: string, key: string) => `dynamodb table ${table}: hash key is ${key}; Terraform's S3 backend locks on a string hash key named LockID`,
} as const;
