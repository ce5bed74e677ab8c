import { TerraformElement, TerraformStack } from 'cdktf';
import { Node } from 'constructs';

/**
 * The Terraform name of a resource: its construct path below the stack joined with `_`.
 * Ids come from the model's stable names, so the address of a resource never depends on
 * what else is in the cluster; no hash is needed because paths are unique and nested ids contain no `_`.
 */
export function stableLogicalId(element: TerraformElement | Node): string {
  const node = element instanceof Node ? element : element.node;
  const scopes = node.scopes;
  const stackIndex = scopes.findIndex((scope) => TerraformStack.isStack(scope));
  const path = scopes.slice(stackIndex + 1).map((scope) => scope.node.id);
  if (path.length === 1) return path[0];
  for (const id of path) {
    if (id.includes('_')) throw new Error(`construct id ${JSON.stringify(id)} must not contain '_' (it separates path parts)`);
  }
  return path.join('_');
}
