/**
 * The S3 bucket and DynamoDB table of a state backend, made and read on moto through its S3
 * REST and DynamoDB JSON APIs directly: each AWS CLI call starts a Python interpreter and
 * botocore (about 1.5 CPU-seconds), these are a request each. moto checks no signature; the
 * Authorization header only names the service and region (motoAuthorization).
 */
import { motoAuthorization } from '../../lib/emulator/moto-query';

const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** One S3 request to `/<bucket>?<query>`; resolves with status and body, throws on anything but 2xx unless `allow` lists the status. */
async function s3(endpoint: string, method: 'GET' | 'PUT', bucket: string, query: string, body?: string, allow: number[] = []): Promise<{ status: number; text: string }> {
  const url = `${endpoint.replace(/\/$/, '')}/${bucket}${query === '' ? '' : `?${query}`}`;
  const response = await fetch(url, { method, headers: { authorization: motoAuthorization('s3'), ...(body ? { 'content-type': 'application/xml' } : {}) }, body });
  const text = await response.text();
  if (!response.ok && !allow.includes(response.status)) throw new Error(`moto S3 ${method} ${bucket}?${query}: ${response.status} ${text.slice(0, 300)}`);
  return { status: response.status, text };
}

async function dynamodb(endpoint: string, action: string, request: object): Promise<any> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { authorization: motoAuthorization('dynamodb'), 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${action}` },
    body: JSON.stringify(request),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`moto DynamoDB ${action}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

export interface BucketOptions {
  readonly versioned?: boolean;
  /** Default encryption of new objects with this algorithm (`aws:kms`, `AES256`). */
  readonly encryption?: string;
}

/** Creates `bucket` (us-east-1), with versioning and default encryption when asked. */
export async function createBucket(endpoint: string, bucket: string, options: BucketOptions = {}): Promise<void> {
  await s3(endpoint, 'PUT', bucket, '');
  if (options.versioned) await s3(endpoint, 'PUT', bucket, 'versioning', `<VersioningConfiguration xmlns="${S3_NS}"><Status>Enabled</Status></VersioningConfiguration>`);
  if (options.encryption !== undefined) {
    const rule = `<Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>${options.encryption}</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule>`;
    await s3(endpoint, 'PUT', bucket, 'encryption', `<ServerSideEncryptionConfiguration xmlns="${S3_NS}">${rule}</ServerSideEncryptionConfiguration>`);
  }
}

/** Whether `bucket` has a default encryption configuration. */
export async function bucketEncrypted(endpoint: string, bucket: string): Promise<boolean> {
  return (await s3(endpoint, 'GET', bucket, 'encryption', undefined, [404])).status === 200;
}

/** The version ids of the objects under `prefix` in `bucket`. */
export async function objectVersions(endpoint: string, bucket: string, prefix: string): Promise<string[]> {
  const { text } = await s3(endpoint, 'GET', bucket, `versions&prefix=${encodeURIComponent(prefix)}`);
  return [...text.matchAll(/<Version>[\s\S]*?<VersionId>([^<]+)<\/VersionId>[\s\S]*?<\/Version>/g)].map((m) => m[1]);
}

/** The object at `key` in `bucket`, as text: a state file as Terraform's S3 backend wrote it (what `state pull` would print). */
export async function objectText(endpoint: string, bucket: string, key: string): Promise<string> {
  return (await s3(endpoint, 'GET', `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`, '')).text;
}

/** Creates an on-demand table whose hash key is the string attribute `hashKey`. */
export async function createTable(endpoint: string, table: string, hashKey: string): Promise<void> {
  await dynamodb(endpoint, 'CreateTable', {
    TableName: table,
    AttributeDefinitions: [{ AttributeName: hashKey, AttributeType: 'S' }],
    KeySchema: [{ AttributeName: hashKey, KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
}

/** The string values of attribute `key` over every item of `table`. */
export async function scanStrings(endpoint: string, table: string, key: string): Promise<string[]> {
  const answer = await dynamodb(endpoint, 'Scan', { TableName: table });
  return (answer.Items as Record<string, { S?: string }>[]).map((item) => item[key]?.S ?? '');
}
