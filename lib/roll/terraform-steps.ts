import { firstTerraformError, runTerraform, terraformOrThrow, TerraformWorkspace } from '../plan/terraform-run';
import { ReplaceStep } from './roll-types';
import { stateValues, StateValues } from './state-drift';

/**
 * One server's replacement and nothing else: `-replace` the instance, `-target` it and the
 * resources that read its id (volume or target group attachment, alarms), so that an unrelated
 * pending change in the stack is not applied on the way.
 */
export function replaceArgs(step: ReplaceStep): string[] {
  return ['apply', '-auto-approve', '-input=false', '-no-color', `-replace=${step.server.address}`, ...step.server.targets.map((t) => `-target=${t}`)];
}

export async function terraformReplace(workspace: TerraformWorkspace, step: ReplaceStep): Promise<void> {
  await terraformOrThrow(workspace, replaceArgs(step));
}

/** The stack's state (`terraform show -json`), or why there is none. */
export async function readState(workspace: TerraformWorkspace): Promise<{ state: StateValues } | { none: string }> {
  const shown = await runTerraform(workspace, ['show', '-json', '-no-color']).catch((error: Error) => ({ code: 1, stdout: '', stderr: error.message }));
  if (shown.code !== 0) return { none: `terraform show failed: ${firstTerraformError(`${shown.stderr}\n${shown.stdout}`)}` };
  let json: unknown;
  try {
    json = JSON.parse(shown.stdout);
  } catch {
    return { none: 'terraform show -json did not print JSON' };
  }
  const state = stateValues(json);
  return state.size === 0 ? { none: 'the state holds no resources' } : { state };
}
