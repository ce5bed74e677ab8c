import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AWS_PROVIDER } from './offline-terraform';

/** The AWS provider up and serving, and how a Terraform command attaches to it. */
export interface ReattachedProvider {
  /** `TF_REATTACH_PROVIDERS`, to add to the environment of every Terraform command that should use it. */
  readonly env: { readonly TF_REATTACH_PROVIDERS: string };
  stop(): Promise<void>;
}

/** A 675 MB binary on a loaded 2-core machine: its start is bounded well above the seconds it takes idle. */
const START_TIMEOUT_MS = 180_000;

/** The provider binary an initialized workspace runs (`.terraform/providers/<address>/<version>/<platform>/`). */
function providerBinary(workspaceDir: string): string {
  const root = join(workspaceDir, '.terraform', 'providers', AWS_PROVIDER);
  const found = readdirSync(root, { recursive: true }).map(String).filter((p) => /(^|\/)terraform-provider-aws_[^/]*$/.test(p));
  if (found.length !== 1) throw new Error(`${found.length} AWS provider binaries under ${root}; run terraform init there first`);
  return join(root, found[0]);
}

/**
 * One AWS provider process that many Terraform commands attach to (Terraform's debug-mode
 * reattach, `TF_REATTACH_PROVIDERS`), instead of each command starting the provider three or
 * four times: most of the CPU a short command on the emulator costs (docs/test-lanes.md). The
 * provider is the workspace's own binary, configured by each command as usual; commands must
 * run one at a time. `env` is the provider process's environment (the workspace's).
 */
export async function startReattachedProvider(workspaceDir: string, env: NodeJS.ProcessEnv): Promise<ReattachedProvider> {
  // A debug-mode provider fails to configure with a custom CA bundle ("unable to add custom RootCAs"); moto is plain HTTP on loopback.
  const { AWS_CA_BUNDLE: _caBundle, ...providerEnv } = env;
  const child = spawn(providerBinary(workspaceDir), ['-debug'], { env: providerEnv, stdio: ['ignore', 'pipe', 'ignore'] });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const lines = createInterface({ input: child.stdout! });
  const reattach = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the AWS provider printed no reattach line within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    child.once('error', reject);
    child.once('close', (code) => reject(new Error(`the AWS provider exited (${code}) before it served`)));
    // The line to copy is `TF_REATTACH_PROVIDERS='{...}'`; later output is read and dropped so the pipe never fills.
    lines.on('line', (line) => {
      const match = /TF_REATTACH_PROVIDERS='(.*)'/.exec(line);
      if (match === null) return;
      clearTimeout(timer);
      resolve(match[1]);
    });
  }).catch((error: Error) => {
    child.kill('SIGKILL');
    throw error;
  });
  return {
    env: { TF_REATTACH_PROVIDERS: reattach },
    stop: async () => {
      // SIGINT is how a debug-mode provider is told to stop (it then removes its socket).
      child.kill('SIGINT');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
