import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importFile, orphanImports, PlanForImports } from '../emulator/orphan-imports';
import { firstTerraformError, TerraformError, terraformOrThrow, TerraformWorkspace } from '../plan/terraform-run';
import { applyFailedAfterRecovery, applyRefused } from './messages';

const APPLY = ['apply', '-auto-approve', '-input=false', '-no-color'];
/** Beside the stack while the recovery runs (docs/state-under-faults.md names the same file). */
export const RECOVERY_IMPORTS_FILE = 'recovery_imports.tf.json';
const RECOVERY_PLAN_FILE = 'recovery.tfplan';

/**
 * Error codes with which AWS refuses the request itself: the same request fails the same way
 * again, so they count as a configuration error, not a fault of the emulator.
 */
const REQUEST_REFUSED = /(?:api error |\b)(?:InvalidParameter\w*|MissingParameter|UnknownParameter|ValidationError):/;

/**
 * `terraform apply` in the workspace, recovering once when the emulator's answer broke it (a
 * busy moto has answered a create it had carried out with a garbled error, so the resource
 * exists but the state lacks it, and a plain second apply would create it twice or fail on the
 * duplicate). The recovery is the one docs/state-under-faults.md gives for an interrupted apply:
 * plan, import what the emulator already holds, apply. Terraform's own refusals (an invalid
 * argument) are not retried. Returns the apply's output; throws a TerraformError whose message
 * is one line naming the error and the workspace.
 */
export async function applyRecovering(workspace: TerraformWorkspace, endpoint: string, say: (line: string) => void): Promise<string> {
  try {
    return await terraformOrThrow(workspace, APPLY);
  } catch (error) {
    if (!(error instanceof TerraformError)) throw error;
    if (!emulatorAnswered(error.details)) throw new TerraformError(applyRefused(error.message), error.details);
    say(`terraform apply stopped on the emulator's answer (${firstTerraformError(error.details)}); importing what the emulator holds that the state lacks, then applying once more`);
  }
  const blocks = await orphanImports(endpoint, await plannedChanges(workspace));
  say(blocks.length === 0 ? '  nothing to import: the emulator holds nothing the state lacks' : `  importing ${blocks.map((b) => `${b.to} (${b.id})`).join(', ')}`);
  const importsFile = join(workspace.dir, RECOVERY_IMPORTS_FILE);
  if (blocks.length > 0) writeFileSync(importsFile, importFile(blocks));
  try {
    return await terraformOrThrow(workspace, APPLY);
  } catch (error) {
    if (!(error instanceof TerraformError)) throw error;
    throw new TerraformError(applyFailedAfterRecovery(workspace.dir, blocks.length, firstTerraformError(error.details)), error.details);
  } finally {
    // Imported resources are in the state now; the blocks would only confuse a later plan by hand.
    rmSync(importsFile, { force: true });
  }
}

/**
 * True when Terraform's errors came from an answer of the emulator's API (an AWS SDK operation
 * error, or SDK v1's status line) rather than from Terraform refusing the configuration, and
 * the answer does not refuse the request itself.
 */
export function emulatorAnswered(output: string): boolean {
  const answered = /operation error [\w ]+:\s+\w+/.test(output) || /status code: \d{3}, request id/i.test(output);
  return answered && !REQUEST_REFUSED.test(output);
}

/** The plan of what the failed apply left to do, as JSON (its creates and the state's ids). */
async function plannedChanges(workspace: TerraformWorkspace): Promise<PlanForImports> {
  const planFile = join(workspace.dir, RECOVERY_PLAN_FILE);
  try {
    await terraformOrThrow(workspace, ['plan', '-input=false', '-no-color', `-out=${RECOVERY_PLAN_FILE}`]);
    return JSON.parse(await terraformOrThrow(workspace, ['show', '-json', RECOVERY_PLAN_FILE])) as PlanForImports;
  } finally {
    rmSync(planFile, { force: true });
  }
}
