import { execFile } from 'node:child_process';
import { pathWithResolvedPython } from './resolved-python-path';

/** The AWS CLI pointed at an emulator: dummy credentials, one region, every call to `endpoint`; `aws` found without a wrapper. */
export function awsCliEnv(endpoint: string): NodeJS.ProcessEnv {
  return { ...process.env, PATH: pathWithResolvedPython(), AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_DEFAULT_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };
}

/** `aws <args>` against `endpoint`: exit code and output, never a throw. */
export function awsCli(endpoint: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('aws', [...args], { env: awsCliEnv(endpoint), timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Like awsCli, but a failure throws with what the CLI said. */
export async function awsCliOrThrow(endpoint: string, args: readonly string[]): Promise<string> {
  const result = await awsCli(endpoint, args);
  if (result.code !== 0) throw new Error(`aws ${args.slice(0, 2).join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}
