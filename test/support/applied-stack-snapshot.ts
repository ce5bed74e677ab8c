/**
 * A stack applied to moto once per machine, shared by every test file that needs it applied: the
 * saved apply (lib/emulator/saved-apply.ts) with the offline Terraform of offline-terraform.ts.
 * The first file applies it and saves it; every later one starts its own moto from that save with
 * its own copy of the workspace. docs/test-lanes.md says where it lives and how to clear it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppliedStack, applyOrRestore } from '../../lib/emulator/saved-apply';
import { terraformOrThrow } from '../../lib/plan/terraform-run';
import { AWS_PROVIDER, offlineTerraformEnv, providerMirror } from './offline-terraform';

export type { AppliedStack } from '../../lib/emulator/saved-apply';

/** `stackDir` applied to a moto of the caller's own, from the machine's saved apply when there is one. */
export function appliedStack(stackDir: string): Promise<AppliedStack> {
  // The mirror's listing: a new provider there makes a new key (the plugin cache keeps the old one).
  const mirror = readdirSync(join(providerMirror(), AWS_PROVIDER), { recursive: true }).map(String).sort().join('\n');
  return applyOrRestore(stackDir, { env: offlineTerraformEnv(), terraform: terraformOrThrow, keyParts: [mirror] });
}
