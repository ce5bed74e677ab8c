import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AWS_PROVIDER, providerMirror } from './offline-terraform';

/** The AWS provider up and serving, and how a Terraform command attaches to it. */
export interface ReattachedProvider {
  /** `TF_REATTACH_PROVIDERS`, to add to the environment of every Terraform command that should use it. */
  readonly env: { readonly TF_REATTACH_PROVIDERS: string };
  stop(): Promise<void>;
}

/** A 675 MB binary on a loaded 2-core machine: its start is bounded well above the seconds it takes idle. */
const START_TIMEOUT_MS = 180_000;

/**
 * One AWS provider process that many Terraform commands attach to (Terraform's debug-mode
 * reattach, `TF_REATTACH_PROVIDERS`), instead of each command starting the provider: a `plan`
 * starts it three times, a `show -json` once, about 2.5 CPU-s each time (docs/test-lanes.md).
 * The provider is the workspace's own binary, configured by each command as usual; two
 * commands at a time against the same moto worked (test/emulator/pull-request-scenarios).
 * `env` is the workspace's environment; the provider reads the AWS variables itself.
 */
export async function startReattachedProvider(workspaceDir: string, env: NodeJS.ProcessEnv): Promise<ReattachedProvider> {
  return startProvider(providerBinary(workspaceDir), env);
}

/**
 * The AWS provider of the filesystem mirror (offline-terraform.ts), started as above before any
 * workspace exists: for a command under test that makes its workspaces and runs `terraform init`
 * itself. With `TF_REATTACH_PROVIDERS` set, Terraform's `init` installs no AWS provider.
 */
export async function startMirroredProvider(env: NodeJS.ProcessEnv): Promise<ReattachedProvider> {
  return startProvider(mirroredProviderBinary(), env);
}

async function startProvider(binary: string, env: NodeJS.ProcessEnv): Promise<ReattachedProvider> {
  // With AWS_CA_BUNDLE set, the provider's second configure in one process fails ("unable to add
  // custom RootCAs HTTPClient, has no WithTransportOptions"); moto is plain HTTP on loopback.
  const providerEnv = Object.fromEntries(Object.entries(env).filter(([name]) => name !== 'AWS_CA_BUNDLE'));
  const child = spawn(binary, ['-debug'], { env: providerEnv, stdio: ['ignore', 'pipe', 'ignore'] });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  // A test process that ends without stop() (a failed before hook, a timeout) leaves no provider behind.
  const orphaned = () => child.kill('SIGKILL');
  process.once('exit', orphaned);
  void exited.then(() => process.off('exit', orphaned));
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

/** The provider binary an initialized workspace runs (`.terraform/providers/<address>/<version>/<platform>/`). */
function providerBinary(workspaceDir: string): string {
  const root = join(workspaceDir, '.terraform', 'providers', AWS_PROVIDER);
  // Version, then platform: the platform folder is a link into the plugin cache, which a recursive listing does not follow.
  const found = readdirSync(root)
    .flatMap((version) => readdirSync(join(root, version)).map((platform) => join(version, platform)))
    .flatMap((folder) => readdirSync(join(root, folder)).map((file) => join(folder, file)))
    .filter((path) => /\/terraform-provider-aws_[^/]*$/.test(path));
  if (found.length !== 1) throw new Error(`${found.length} AWS provider binaries under ${root}; run terraform init there first`);
  return join(root, found[0]);
}

/** The one AWS provider binary in the filesystem mirror's unpacked layout (`<address>/<version>/<platform>/`). */
function mirroredProviderBinary(): string {
  const root = join(providerMirror(), AWS_PROVIDER);
  const found = readdirSync(root, { recursive: true })
    .map(String)
    .filter((path) => /^[^/]+\/[^/]+\/terraform-provider-aws_[^/]*$/.test(path));
  if (found.length !== 1) throw new Error(`${found.length} AWS provider binaries under ${root} (an unpacked filesystem mirror holds one)`);
  return join(root, found[0]);
}
