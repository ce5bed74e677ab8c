import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Drops from the local state in `dir` every resource its configuration (`cdk.tf.json`, as
 * test/support/cut-down-stack.ts cut it) no longer has, as `terraform state rm` would, without a
 * Terraform start: a restored full apply then serves a cut-down stack. What moto still holds
 * outside the state is never read again. Returns how many resources stayed.
 */
export function cutStateToStack(dir: string): number {
  const config = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) as { resource?: Record<string, Record<string, unknown>> };
  const file = join(dir, 'terraform.tfstate');
  const state = JSON.parse(readFileSync(file, 'utf8')) as { serial: number; resources: Array<{ mode: string; type: string; name: string }> };
  state.resources = state.resources.filter((r) => r.mode === 'managed' && config.resource?.[r.type]?.[r.name] !== undefined);
  // A changed state gets a new serial, as `terraform state rm` gives it.
  state.serial += 1;
  writeFileSync(file, JSON.stringify(state, null, 2));
  return state.resources.length;
}
