import { LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import { BackendSpec } from '../model';

/**
 * Where Terraform keeps the stack's state, the same on every cloud: a local file named after the
 * cluster, or an encrypted S3 object (with an optional DynamoDB lock table).
 */
export function addStateBackend(stack: TerraformStack, clusterName: string, backend: BackendSpec): void {
  if (backend.type === 's3') {
    new S3Backend(stack, {
      bucket: backend.bucket,
      key: backend.key ?? `${clusterName}/terraform.tfstate`,
      region: backend.region,
      dynamodbTable: backend.dynamodbTable,
      encrypt: true,
    });
  } else {
    new LocalBackend(stack, { path: `terraform.${clusterName}.tfstate` });
  }
}
