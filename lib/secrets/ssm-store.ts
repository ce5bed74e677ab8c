import { GetParameterCommand, ParameterAlreadyExists, ParameterNotFound, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { SecretStore } from './secret-store';

export interface SsmSecretStoreOptions {
  readonly region: string;
  /** KMS key for SecureString parameters. @default - the account's `alias/aws/ssm` */
  readonly kmsKeyId?: string;
  /** Tags on parameters this store creates. */
  readonly tags: Readonly<Record<string, string>>;
  /** @default - the SDK's (AWS_ENDPOINT_URL_SSM / AWS_ENDPOINT_URL, else AWS) */
  readonly endpoint?: string;
}

/** SSM Parameter Store, SecureString parameters, standard tier (4 KB per value). */
export class SsmSecretStore implements SecretStore {
  private readonly client: SSMClient;

  constructor(private readonly options: SsmSecretStoreOptions) {
    // Adaptive retries: SSM throttles PutParameter hard (a lesson the reference design learned).
    this.client = new SSMClient({ region: options.region, endpoint: options.endpoint, maxAttempts: 8, retryMode: 'adaptive' });
  }

  async get(path: string): Promise<string | undefined> {
    try {
      const answer = await this.client.send(new GetParameterCommand({ Name: path, WithDecryption: true }));
      return answer.Parameter?.Value;
    } catch (error) {
      if (error instanceof ParameterNotFound) return undefined;
      throw error;
    }
  }

  async put(path: string, value: string, { description, overwrite }: { description: string; overwrite: boolean }): Promise<'written' | 'exists'> {
    try {
      await this.client.send(
        new PutParameterCommand({
          Name: path,
          Value: value,
          Type: 'SecureString',
          Tier: 'Standard',
          Description: description,
          KeyId: this.options.kmsKeyId,
          Overwrite: overwrite,
          // SSM takes tags only when it creates a parameter.
          Tags: overwrite ? undefined : Object.entries(this.options.tags).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
      return 'written';
    } catch (error) {
      if (error instanceof ParameterAlreadyExists) return 'exists';
      throw error;
    }
  }

  close(): void {
    this.client.destroy();
  }
}
