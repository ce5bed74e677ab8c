import { messages } from './messages';
import { joinPath, Problem } from './problems';
import { ClusterSpec } from './spec';

/**
 * The S3 state backend's names, by S3's and DynamoDB's own rules (the same whichever cloud the
 * cluster runs on). Each reaches the synthesized stack's `terraform.backend` block.
 */

/** An AWS region name: `us-east-1`, `us-gov-west-1`, `ap-southeast-5`. */
export const AWS_REGION_NAME = /^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$/;

/** S3 bucket naming rules (general purpose buckets). */
export function bucketNameProblem(bucket: string): string | undefined {
  const shaped = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) && !/\.\.|\.-|-\./.test(bucket);
  const reserved = /^(\d+\.){3}\d+$/.test(bucket) || /^(xn--|sthree-|amzn-s3-demo-)/.test(bucket) || /(-s3alias|--ol-s3|--x-s3)$/.test(bucket);
  return shaped && !reserved ? undefined : messages.s3BucketName(bucket);
}

/** Object keys of safe characters in `/`-separated parts, no `.` or `..` part; S3 allows 1024 bytes. */
const STATE_KEY = /^[A-Za-z0-9_.=+@-]+(\/[A-Za-z0-9_.=+@-]+)*$/;
/** DynamoDB table names. */
const DYNAMODB_TABLE = /^[A-Za-z0-9_.-]{3,255}$/;

export function validateBackend(spec: ClusterSpec): Problem[] {
  const backend: unknown = spec.backend;
  if (typeof backend !== 'object' || backend === null || (backend as { type?: unknown }).type !== 's3') return [];
  const { bucket, region, key, dynamodbTable } = backend as Record<string, unknown>;
  const at = (field: string) => joinPath('backend', field);
  const problems: Problem[] = [];
  const bucketProblem = typeof bucket === 'string' ? bucketNameProblem(bucket) : undefined;
  if (bucketProblem !== undefined) problems.push({ path: at('bucket'), message: bucketProblem });
  if (typeof region === 'string' && !AWS_REGION_NAME.test(region)) problems.push({ path: at('region'), message: messages.awsRegionName(region) });
  if (typeof key === 'string' && (!STATE_KEY.test(key) || key.length > 1024 || key.split('/').some((part) => part === '.' || part === '..'))) {
    problems.push({ path: at('key'), message: messages.stateKey(key) });
  }
  if (typeof dynamodbTable === 'string' && !DYNAMODB_TABLE.test(dynamodbTable)) {
    problems.push({ path: at('dynamodbTable'), message: messages.dynamodbTable(dynamodbTable) });
  }
  return problems;
}
