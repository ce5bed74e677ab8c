import { firstTerraformError, runTerraform, terraformOrThrow, TerraformWorkspace } from '../plan/terraform-run';
import { ReplaceStep } from './roll-types';
import { pulledStateValues, StateValues } from './state-drift';

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

/**
 * The stack's state (`terraform state pull`: the backend's copy as stored, read without loading
 * the provider, where `show -json` would start it and decode its schema), or why there is none.
 */
export async function readState(workspace: TerraformWorkspace): Promise<{ state: StateValues } | { none: string }> {
  const pulled = await runTerraform(workspace, ['state', 'pull']).catch((error: Error) => ({ code: 1, stdout: '', stderr: error.message }));
  if (pulled.code !== 0) return { none: `terraform state pull failed: ${firstTerraformError(`${pulled.stderr}\n${pulled.stdout}`)}` };
  // A backend with no state yet prints nothing.
  if (pulled.stdout.trim() === '') return { none: 'the state holds no resources' };
  let json: unknown;
  try {
    json = JSON.parse(pulled.stdout);
  } catch {
    return { none: 'terraform state pull did not print JSON' };
  }
  const state = pulledStateValues(json);
  return state.size === 0 ? { none: 'the state holds no resources' } : { state };
}
