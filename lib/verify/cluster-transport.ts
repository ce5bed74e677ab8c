import { existsSync } from 'node:fs';
import { firstTerraformError, runTerraform, TerraformWorkspace } from '../plan/terraform-run';
import { DirectTransport } from './direct-transport';
import { SshTransport } from './ssh-transport';
import { Transport } from './transport';

/** How to reach a deployed cluster's nodes, as `verify` and `roll` take it from their flags. */
export interface ReachOptions {
  /** Call the nodes' addresses from this machine (inside the network) instead of through the bastion. */
  readonly direct: boolean;
  /** The bastion's address; without it, the deployed stack's `bastion_address` output. */
  readonly bastion?: string;
  readonly user: string;
  readonly identity?: string;
}

/** The cluster has no bastion address to use: the operator must name one, or go direct. */
export class NoBastionError extends Error {}

function noBastion(dir: string, why: string): string {
  return `no bastion address: \`terraform output bastion_address\` in ${dir} gave none${why === '' ? '' : ` (${why})`}; pass --bastion <address> or --direct`;
}

/** The bastion's address from the deployed stack's outputs (`terraform output bastion_address` in `stack`). */
async function bastionFromOutputs(stack: TerraformWorkspace): Promise<string> {
  // Terraform would start elsewhere (or not at all) in a folder that is not there.
  if (!existsSync(stack.dir)) throw new NoBastionError(noBastion(stack.dir, 'no such folder: the stack is synthesized and deployed there'));
  const output = await runTerraform(stack, ['output', '-raw', 'bastion_address', '-no-color']).catch((error: Error) => ({ code: 1, stdout: '', stderr: error.message }));
  const address = output.code === 0 ? output.stdout.trim() : '';
  if (address === '') throw new NoBastionError(noBastion(stack.dir, output.stderr.trim() === '' ? '' : firstTerraformError(output.stderr)));
  return address;
}

/** The way to the nodes: direct, or SSH through the bastion named or deployed. */
export async function clusterTransport(options: ReachOptions, stack: TerraformWorkspace): Promise<Transport> {
  if (options.direct) return new DirectTransport();
  return new SshTransport({ bastion: options.bastion ?? (await bastionFromOutputs(stack)), user: options.user, identityFile: options.identity });
}
