import { join, resolve } from 'node:path';

/** The repository this code runs from: the example cluster and the synth entry live there. */
export const REPOSITORY_ROOT = resolve(__dirname, '..', '..');

/** Where a sandbox keeps everything it makes, so that a later run finds what an earlier one left. */
export const DEFAULT_SANDBOX_DIR = join(REPOSITORY_ROOT, '.sandbox');

/** The files and folders of one sandbox folder. */
export interface SandboxLayout {
  readonly root: string;
  /** The running emulator: pid, port, endpoint (emulator-record.ts). */
  readonly record: string;
  readonly motoLog: string;
  /** The Terraform workspace: configuration, override, `.terraform`, state, the change's plan. */
  readonly workspace: string;
  /** Cluster-file copies and their synthesized stacks. */
  readonly synth: string;
  /** Terraform's CLI configuration when a provider mirror is used. */
  readonly terraformConfig: string;
  /** Kept across runs, so the AWS provider is fetched once. */
  readonly pluginCache: string;
  /** The pull request's view as Markdown: the plan summary and the check's verdict. */
  readonly summary: string;
}

export function sandboxLayout(root: string): SandboxLayout {
  const at = (name: string) => join(root, name);
  return {
    root,
    record: at('emulator.json'),
    motoLog: at('moto.log'),
    workspace: at('workspace'),
    synth: at('synth'),
    terraformConfig: at('terraform.rc'),
    pluginCache: at('plugin-cache'),
    summary: at('pull-request.md'),
  };
}
