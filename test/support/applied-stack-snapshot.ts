/**
 * A stack applied to moto once per machine, shared by every test file that needs it applied: the
 * saved apply (lib/emulator/saved-apply.ts) with the offline Terraform of offline-terraform.ts.
 * The first file applies it and saves it; every later one starts its own moto from that save with
 * its own copy of the workspace. docs/test-lanes.md says where it lives and how to clear it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EmulatorWorkspace } from '../../lib/emulator/moto-workspace';
import { AppliedStack, applyOrRestore } from '../../lib/emulator/saved-apply';
import { terraformOrThrow } from '../../lib/plan/terraform-run';
import { AWS_PROVIDER, offlineTerraformEnv, providerMirror } from './offline-terraform';
import { startReattachedProvider } from './reattached-provider';

export type { AppliedStack } from '../../lib/emulator/saved-apply';

export interface AppliedStackOptions {
  /**
   * The apply that makes the save talks to one provider process (reattached-provider.ts) instead
   * of loading the provider for each of its steps. @default false
   */
  readonly reattachProvider?: boolean;
}

/**
 * `stackDir` applied to a moto of the caller's own, from the machine's saved apply when there is
 * one; the workspace's environment points the provider at that moto (`AWS_ENDPOINT_URL`), so a
 * provider the caller starts must start with `workspace.env`.
 */
export function appliedStack(stackDir: string, options: AppliedStackOptions = {}): Promise<AppliedStack> {
  // The mirror's listing: a new provider there makes a new key (the plugin cache keeps the old one).
  const mirror = readdirSync(join(providerMirror(), AWS_PROVIDER), { recursive: true }).map(String).sort().join('\n');
  const terraform = options.reattachProvider === true ? terraformReattached : terraformOrThrow;
  // Every test's provider starts with its workspace's environment: moto's endpoint comes from there, no block to validate at each plan.
  return applyOrRestore(stackDir, { env: offlineTerraformEnv(), terraform, keyParts: [mirror], endpointsFromEnvironment: true });
}

/** `init` as usual (it installs the provider); any other command attached to a provider process of its own, stopped after it. */
async function terraformReattached(workspace: EmulatorWorkspace, args: readonly string[]): Promise<string> {
  if (args[0] === 'init') return terraformOrThrow(workspace, args);
  const provider = await startReattachedProvider(workspace.dir, workspace.env);
  try {
    return await terraformOrThrow({ ...workspace, env: { ...workspace.env, ...provider.env } }, args);
  } finally {
    await provider.stop();
  }
}
