import { ClusterTopology } from '../model';
import { runTerraform, TerraformWorkspace } from '../plan/terraform-run';
import { CredentialsError, operatorCredentials } from '../verify/credentials';
import { DirectTransport } from '../verify/direct-transport';
import { SshTransport } from '../verify/ssh-transport';
import { Transport } from '../verify/transport';
import { verifyCluster } from '../verify/verify-cluster';
import { ClusterReport } from './roll-executor';

/** How to reach the cluster: the same choices as `npm run verify`. */
export interface LiveClusterOptions {
  readonly direct: boolean;
  readonly bastion?: string;
  readonly user: string;
  readonly identity?: string;
  readonly credentialsFile?: string;
}

/** The deployed cluster as the roll asks it: the `verify` checks, through the bastion or directly. */
export interface LiveCluster {
  report(): Promise<ClusterReport>;
  close(): Promise<void>;
}

async function bastionAddress(workspace: TerraformWorkspace): Promise<string> {
  const output = await runTerraform(workspace, ['output', '-raw', 'bastion_address']).catch(() => ({ code: 1, stdout: '', stderr: '' }));
  const address = output.code === 0 ? output.stdout.trim() : '';
  if (address === '') throw new CredentialsError(`no bastion address: \`terraform output bastion_address\` in ${workspace.dir} gave none; pass --bastion <address> or --direct`);
  return address;
}


export async function connectLiveCluster(topology: ClusterTopology, workspace: TerraformWorkspace, options: LiveClusterOptions): Promise<LiveCluster> {
  const transport: Transport = options.direct
    ? new DirectTransport()
    : new SshTransport({ bastion: options.bastion ?? (await bastionAddress(workspace)), user: options.user, identityFile: options.identity });
  try {
    const operator = await operatorCredentials(topology, options.credentialsFile);
    return { report: () => verifyCluster(topology, transport, operator), close: () => transport.close() };
  } catch (error) {
    await transport.close();
    throw error;
  }
}
