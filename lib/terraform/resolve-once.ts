import { TerraformStack } from 'cdktf';

/**
 * The stack's Terraform JSON, resolved once and kept: `app.synth()` writes this very object
 * instead of resolving the stack a second time (resolving is most of a synth's own CPU time), so
 * what a caller checks is byte for byte what is written. cdktf 0.21's `synth()` runs
 * `prepareStack()`, Aspects, validations and then `toTerraform()`; `prepareStack()` runs here
 * first (it adds a default backend). The project adds no Aspects. A construct added after this
 * call would be missing from the kept JSON, so that synth fails instead of writing stale output.
 */
export function resolveOnce(stack: TerraformStack): unknown {
  stack.prepareStack();
  const json = stack.toTerraform();
  const constructs = stack.node.findAll().length;
  stack.toTerraform = () => {
    if (stack.node.findAll().length !== constructs) throw new Error(`stack ${stack.node.id}: changed after it was resolved and checked`);
    return json;
  };
  return json;
}
