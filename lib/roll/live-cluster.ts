import { ClusterTopology } from '../model';
import { TerraformWorkspace } from '../plan/terraform-run';
import { clusterTransport, ReachOptions } from '../verify/cluster-transport';
import { operatorCredentials } from '../verify/credentials';
import { verifyCluster } from '../verify/verify-cluster';
import { ClusterReport } from './roll-executor';

/** How to reach the cluster: the same choices as `npm run verify`. */
export interface LiveClusterOptions extends ReachOptions {
  readonly credentialsFile?: string;
}

/** The deployed cluster as the roll asks it: the `verify` checks, through the bastion or directly. */
export interface LiveCluster {
  report(): Promise<ClusterReport>;
  close(): Promise<void>;
}

export async function connectLiveCluster(topology: ClusterTopology, workspace: TerraformWorkspace, options: LiveClusterOptions): Promise<LiveCluster> {
  const transport = await clusterTransport(options, workspace);
  try {
    const operator = await operatorCredentials(topology, options.credentialsFile);
    return { report: () => verifyCluster(topology, transport, operator), close: () => transport.close() };
  } catch (error) {
    await transport.close();
    throw error;
  }
}
