import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AWS_PROVIDER, providerMirror } from './offline-terraform';
import { emulatorSchemaTypes, schemaTypesFor } from './provider-schema-types';
import { entryBundle } from './run-cli';

/** The AWS provider up and serving, and how a Terraform command attaches to it. */
export interface ReattachedProvider {
  /** `TF_REATTACH_PROVIDERS`, to add to the environment of every Terraform command that should use it. */
  readonly env: { readonly TF_REATTACH_PROVIDERS: string };
  stop(): Promise<void>;
}

export interface ReattachOptions {
  /**
   * Serve Terraform the provider's schema cut down to these resource and data source types
   * (provider-schema-types.ts, schemaTypesFor), through a loopback pass-through
   * (provider-schema-proxy.ts): Terraform then decodes about 100 KB of schema at each command
   * (the project's 42 types) instead of the AWS provider's 4.9 MB, about 2 CPU-s less of
   * Terraform's own, and the provider builds its schema once instead of at every command
   * (docs/test-lanes.md). A type the configuration or state holds that is not in the list makes
   * Terraform fail loudly (`Error: Invalid resource type`), never pass quietly. `'whole'`: the
   * provider's own schema, no pass-through.
   * @default startReattachedProvider: schemaTypesFor(the workspace); startMirroredProvider:
   * emulatorSchemaTypes() (the command under test makes its own workspaces)
   */
  readonly schemaTypes?: readonly string[] | 'whole';
}

/** A 675 MB binary on a loaded 2-core machine: its start is bounded well above the seconds it takes idle. */
const START_TIMEOUT_MS = 180_000;
const PROXY = join(__dirname, 'provider-schema-proxy.ts');

/**
 * One AWS provider process that many Terraform commands attach to (Terraform's debug-mode
 * reattach, `TF_REATTACH_PROVIDERS`), instead of each command starting the provider: a `plan`
 * starts it three times, a `show -json` once, about 2.5 CPU-s each time (docs/test-lanes.md).
 * The provider is the workspace's own binary, configured by each command as usual; two
 * commands at a time against the same moto worked (test/emulator/pull-request-scenarios).
 * `env` is the workspace's environment; the provider reads the AWS variables itself.
 */
export function startReattachedProvider(workspaceDir: string, env: NodeJS.ProcessEnv, options: ReattachOptions = {}): Promise<ReattachedProvider> {
  return withSchemaTypes(startReattachedProviderBinary(providerBinary(workspaceDir), env), options.schemaTypes ?? schemaTypesFor(workspaceDir));
}

/**
 * The same, from the filesystem mirror's binary (the one `terraform init` would install), for a
 * command under test that makes and initializes its own workspaces (`plan`, the sandbox).
 * Terraform installs no provider that is reattached: such a workspace's `init` leaves no
 * `.terraform/providers`.
 */
export function startMirroredProvider(env: NodeJS.ProcessEnv, options: ReattachOptions = {}): Promise<ReattachedProvider> {
  return withSchemaTypes(startReattachedProviderBinary(findProviderBinary(join(providerMirror(), AWS_PROVIDER), 'set TF_PROVIDER_MIRROR to the filesystem mirror'), env), options.schemaTypes ?? emulatorSchemaTypes());
}

async function withSchemaTypes(started: Promise<ReattachedProvider>, schemaTypes: readonly string[] | 'whole'): Promise<ReattachedProvider> {
  const provider = await started;
  if (schemaTypes === 'whole') return provider;
  return startSchemaProxy(provider, schemaTypes).catch(async (error: Error) => {
    await provider.stop();
    throw error;
  });
}

/** The provider behind provider-schema-proxy.ts: the same reattach line, its socket the proxy's. */
async function startSchemaProxy(provider: ReattachedProvider, types: readonly string[]): Promise<ReattachedProvider> {
  const reattach = JSON.parse(provider.env.TF_REATTACH_PROVIDERS) as Record<string, { Addr: { Network: string; String: string } }>;
  const entry = reattach[AWS_PROVIDER];
  if (entry?.Addr.Network !== 'unix') throw new Error(`the AWS provider serves on ${entry?.Addr.Network ?? 'nothing'}, not a unix socket; the schema proxy needs one`);
  const folder = mkdtempSync(join(tmpdir(), 'mesos-cluster-schema-proxy-'));
  const socket = join(folder, 'provider.sock');
  const child = spawn(process.execPath, [entryBundle(PROXY), entry.Addr.String, socket, types.join(',')], { stdio: ['ignore', 'pipe', 'inherit'] });
  await untilListening(child);
  const proxied = { ...reattach, [AWS_PROVIDER]: { ...entry, Addr: { ...entry.Addr, String: socket } } };
  return {
    env: { TF_REATTACH_PROVIDERS: JSON.stringify(proxied) },
    stop: async () => {
      child.kill('SIGKILL');
      await provider.stop();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

function untilListening(child: ChildProcess): Promise<void> {
  const orphaned = () => child.kill('SIGKILL');
  process.once('exit', orphaned);
  child.once('close', () => process.off('exit', orphaned));
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the provider schema proxy did not listen within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
    child.once('error', reject);
    child.once('close', (code) => reject(new Error(`the provider schema proxy exited (${code}) before it listened`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line !== 'listening') return;
      clearTimeout(timer);
      resolve();
    });
  }).catch((error: Error) => {
    child.kill('SIGKILL');
    throw error;
  });
}

async function startReattachedProviderBinary(binary: string, env: NodeJS.ProcessEnv): Promise<ReattachedProvider> {
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
  return findProviderBinary(join(workspaceDir, '.terraform', 'providers', AWS_PROVIDER), 'run terraform init there first');
}

/** The one AWS provider binary under `root` (`<version>/<platform>/terraform-provider-aws_*`). */
function findProviderBinary(root: string, hint: string): string {
  // Version, then platform: the platform folder is a link into the plugin cache, which a recursive listing does not follow.
  const found = readdirSync(root)
    .flatMap((version) => readdirSync(join(root, version)).map((platform) => join(version, platform)))
    .flatMap((folder) => readdirSync(join(root, folder)).map((file) => join(folder, file)))
    .filter((path) => /\/terraform-provider-aws_[^/]*$/.test(path));
  if (found.length !== 1) throw new Error(`${found.length} AWS provider binaries under ${root}; ${hint}`);
  return join(root, found[0]);
}
