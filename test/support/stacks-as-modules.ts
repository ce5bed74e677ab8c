import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { offlineProviderSettings, OfflineOverrideOptions, terraform, terraformValidate, ValidateResult } from './offline-terraform';

export interface ModuleStack {
  /** The stack's folder in the configuration, and so its module's name (`module.<name>`). */
  readonly name: string;
  /** The synthesized stack (`cdktf.out/stacks/<stack>`). */
  readonly stackDir: string;
}

/**
 * Several synthesized stacks as one Terraform configuration: each stack a child module of one
 * root, in a folder of its own, so that one `validate` or `plan` serves them all and Terraform
 * and the provider load their schemas once (most of a command's cost: a validate of the example
 * takes 3.5 CPU-s, docs/test-lanes.md). A child module's diagnostics name its folder
 * (`<name>/cdk.tf.json`), its planned changes its module (`module_address`). Each copy leaves
 * out the stack's `backend`, which a child module ignores with a warning (and which `validate`
 * and `plan` never check: that is `init`'s); with `offline`, the offline provider settings
 * (offline-terraform.ts) are merged into each copy's provider block, as an override file does
 * in a root module: in a child module, Terraform takes an override file's provider block for a
 * redundant empty one and warns. Returns the root.
 */
export function stacksAsModules(stacks: readonly ModuleStack[], offline?: OfflineOverrideOptions): string {
  const root = mkdtempSync(join(tmpdir(), 'mesos-cluster-tf-modules-'));
  const modules: Record<string, { source: string }> = {};
  for (const { name, stackDir } of stacks) {
    const dir = join(root, name);
    cpSync(stackDir, dir, { recursive: true });
    const config = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8'));
    if (config.terraform !== undefined) delete config.terraform.backend;
    if (offline !== undefined) config.provider.aws = config.provider.aws.map((block: object) => ({ ...block, ...offlineProviderSettings(offline) }));
    writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(config));
    modules[name] = { source: `./${name}` };
  }
  writeFileSync(join(root, 'main.tf.json'), JSON.stringify({ module: modules }));
  return root;
}

/** The stacks under one `terraform init` and `terraform validate` (stacksAsModules). */
export function validateAsModules(stacks: readonly ModuleStack[], env: NodeJS.ProcessEnv): ValidateResult {
  const root = stacksAsModules(stacks);
  terraform(root, env, ['init', '-input=false', '-no-color']);
  return terraformValidate({ dir: root, env });
}

/** The diagnostics of the module `name`, and those that name no file, which could be any module's. */
export function moduleDiagnostics(diagnostics: ValidateResult['diagnostics'], name: string): ValidateResult['diagnostics'] {
  return diagnostics.filter((d) => d.range?.filename === undefined || d.range.filename.startsWith(`${name}/`));
}
