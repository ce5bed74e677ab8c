import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pythonExecutable } from '../../lib/emulator/python-interpreter';

/**
 * Runs the real Terraform CLI against a synthesized stack with no network: the AWS provider
 * comes from the machine's filesystem mirror, credentials are dummies and the provider skips
 * every call it would make before apply. The overrides live in an `*_override.tf.json` file,
 * so the synthesized configuration itself stays as operators deploy it.
 */
const DEFAULT_MIRROR = '/opt/tf-plugins';
export const AWS_PROVIDER = 'registry.terraform.io/hashicorp/aws';

/** Why Terraform cannot run here, or undefined when it can. */
export function offlineTerraformUnavailable(): string | undefined {
  if (spawnSync('terraform', ['version'], { stdio: 'ignore' }).status !== 0) return 'terraform is not on PATH';
  const mirror = providerMirror();
  if (!existsSync(join(mirror, AWS_PROVIDER))) {
    return `no ${AWS_PROVIDER} provider under ${mirror} (set TF_PROVIDER_MIRROR to the filesystem mirror)`;
  }
  return undefined;
}

/** The filesystem mirror Terraform takes the AWS provider from. */
export function providerMirror(): string {
  return process.env.TF_PROVIDER_MIRROR ?? DEFAULT_MIRROR;
}

/**
 * The environment that makes Terraform take the AWS provider from the filesystem mirror (and a
 * shared plugin cache) and never call home.
 */
export function offlineTerraformEnv(): NodeJS.ProcessEnv {
  const root = mkdtempSync(join(tmpdir(), 'mesos-cluster-tf-cli-'));
  const cache = join(tmpdir(), 'mesos-cluster-tf-plugin-cache');
  mkdirSync(cache, { recursive: true });
  const cliConfig = join(root, 'terraform.rc');
  writeFileSync(
    cliConfig,
    [
      `plugin_cache_dir = "${cache}"`,
      'provider_installation {',
      `  filesystem_mirror {\n    path    = "${providerMirror()}"\n    include = ["${AWS_PROVIDER}"]\n  }`,
      `  direct {\n    exclude = ["${AWS_PROVIDER}"]\n  }`,
      '}',
      '',
    ].join('\n'),
  );
  return {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE: 'true',
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

export interface OfflineOverrideOptions {
  /**
   * Point the provider at the STS stand-in through its environment (offlineStsEnvironment, which
   * the workspace's env then holds; a reattached provider must be started with that env) instead
   * of an `endpoints` block: the AWS provider spends 3 to 4 CPU-s checking a configured block at
   * every validate and plan (reference/terraform/AWS-PROVIDER-ENDPOINTS.md). @default false
   */
  readonly stsFromEnvironment?: boolean;
}

/** Copies the stack to a scratch folder and runs `terraform init` there. */
export function prepareOfflineWorkspace(stackDir: string, options: OfflineOverrideOptions = {}): { dir: string; env: NodeJS.ProcessEnv } {
  const root = mkdtempSync(join(tmpdir(), 'mesos-cluster-tf-'));
  const dir = join(root, 'stack');
  cpSync(stackDir, dir, { recursive: true });
  writeOfflineOverride(dir, options);
  const env = options.stsFromEnvironment === true ? { ...offlineTerraformEnv(), ...offlineStsEnvironment() } : offlineTerraformEnv();
  terraform(dir, env, ['init', '-input=false', '-no-color']);
  return { dir, env };
}

/** The environment that sends the provider's one STS call to the stand-in (with `writeOfflineOverride(dir, { stsFromEnvironment: true })`). */
export function offlineStsEnvironment(): { readonly AWS_ENDPOINT_URL_STS: string } {
  return { AWS_ENDPOINT_URL_STS: stsEndpoint() };
}

let stsStandIn: { endpoint: string; child: ChildProcess } | undefined;

/**
 * The one AWS call a plan makes, STS GetCallerIdentity (the stack's data.aws_caller_identity,
 * lib/aws/aws-account.ts), answered on loopback by a separate process (sts-stand-in.py):
 * Terraform runs synchronously here, so this process could not answer it itself. One per test
 * process, started on first use and ended with the process.
 */
function stsEndpoint(): string {
  if (stsStandIn !== undefined) return stsStandIn.endpoint;
  const portFile = join(mkdtempSync(join(tmpdir(), 'mesos-cluster-sts-')), 'port');
  const child = spawn(pythonExecutable(), [join(__dirname, 'sts-stand-in.py'), portFile], { stdio: ['ignore', 'ignore', 'inherit'] });
  child.unref();
  process.on('exit', () => child.kill());
  const deadline = Date.now() + 30_000;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (!existsSync(portFile) || readFileSync(portFile, 'utf8') === '') {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('the STS stand-in did not start (python3 test/support/sts-stand-in.py)');
    Atomics.wait(pause, 0, 0, 50);
  }
  stsStandIn = { endpoint: `http://127.0.0.1:${readFileSync(portFile, 'utf8')}`, child };
  return stsStandIn.endpoint;
}

/**
 * Dummy credentials and no calls before apply but the caller identity's, to a loopback
 * stand-in, in an `*_override.tf.json` beside the stack's own configuration: the stack as
 * synthesized stays untouched.
 */
export function writeOfflineOverride(stackDir: string, options: OfflineOverrideOptions = {}): void {
  writeFileSync(
    join(stackDir, 'offline_override.tf.json'),
    JSON.stringify({ provider: { aws: [offlineProviderSettings(options)] } }),
  );
}

/** What the offline override sets in the AWS provider's configuration (writeOfflineOverride). */
export function offlineProviderSettings(options: OfflineOverrideOptions = {}): Record<string, unknown> {
  return {
    access_key: 'AKIAOFFLINEPLAN00000',
    secret_key: 'offline-plan-not-a-secret',
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
    ...(options.stsFromEnvironment === true ? {} : { endpoints: [{ sts: stsEndpoint() }] }),
  };
}

export interface ValidateResult {
  readonly valid: boolean;
  readonly error_count: number;
  readonly warning_count: number;
  readonly diagnostics: { severity: string; summary: string; detail?: string; range?: { filename: string } }[];
}

export function terraformValidate(workspace: { dir: string; env: NodeJS.ProcessEnv }): ValidateResult {
  const result = spawnSync('terraform', ['validate', '-json', '-no-color'], { cwd: workspace.dir, env: workspace.env, encoding: 'utf8' });
  return JSON.parse(result.stdout) as ValidateResult;
}

export interface PlannedChange {
  readonly address: string;
  /** The module the resource is in (`module.<name>`); absent in the root module. */
  readonly module_address?: string;
  readonly type: string;
  readonly name: string;
  readonly change: { readonly actions: string[]; readonly after: Record<string, any> };
}

/** `terraform plan` without refresh, then the plan as JSON (`terraform show -json`). */
export function terraformPlan(workspace: { dir: string; env: NodeJS.ProcessEnv }): { resource_changes: PlannedChange[]; [key: string]: any } {
  terraform(workspace.dir, workspace.env, ['plan', '-input=false', '-refresh=false', '-lock=false', '-no-color', '-out=plan.bin']);
  return JSON.parse(terraform(workspace.dir, workspace.env, ['show', '-json', 'plan.bin']));
}

/**
 * The same, with what Terraform said while planning: a plan validates the configuration first,
 * as `terraform validate` does, and with `-json` each of its warnings and errors is a
 * `diagnostic` line. One command fewer than a validate and a plan (3.5 CPU-s, docs/test-lanes.md).
 */
export function terraformPlanWithDiagnostics(workspace: { dir: string; env: NodeJS.ProcessEnv }): {
  plan: { resource_changes: PlannedChange[]; [key: string]: any };
  diagnostics: ValidateResult['diagnostics'];
} {
  const lines = terraform(workspace.dir, workspace.env, ['plan', '-json', '-input=false', '-refresh=false', '-lock=false', '-no-color', '-out=plan.bin']).split('\n');
  const diagnostics = lines.flatMap((line) => {
    const message = line.startsWith('{') ? JSON.parse(line) : undefined;
    return message?.type === 'diagnostic' ? [message.diagnostic] : [];
  });
  return { plan: JSON.parse(terraform(workspace.dir, workspace.env, ['show', '-json', 'plan.bin'])), diagnostics };
}

/** `terraform <args>` in `cwd`: its stdout, or an error with its stderr and the tail of its stdout. */
export function terraform(cwd: string, env: NodeJS.ProcessEnv, args: readonly string[]): string {
  try {
    return execFileSync('terraform', [...args], { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`terraform ${args[0]} failed in ${cwd}:\n${e.stderr ?? ''}\n${(e.stdout ?? '').slice(-4000)}`);
  }
}
