import { ClusterTopology } from '../model';
import { renderCloudConfig } from './cloud-config';
import { bastionPlan, poolPlan, serverPlan } from './node-plans';

export { escapeTerraformTemplate, unescapeTerraformTemplate } from './terraform-escape';

/** The cloud-config document (`#cloud-config` YAML) that turns the base image into this quorum server. */
export function renderServerUserData(topology: ClusterTopology, serverName: string): string {
  const server = topology.servers.find((s) => s.name === serverName);
  if (server === undefined) {
    throw new Error(`no quorum server ${JSON.stringify(serverName)} in cluster ${topology.cluster.name}; servers: ${topology.servers.map((s) => s.name).join(', ')}`);
  }
  return renderCloudConfig(serverPlan(topology, server));
}

/** The cloud-config document for every agent of a pool. */
export function renderPoolUserData(topology: ClusterTopology, poolName: string): string {
  const pool = topology.pools.find((p) => p.name === poolName);
  if (pool === undefined) {
    throw new Error(`no pool ${JSON.stringify(poolName)} in cluster ${topology.cluster.name}; pools: ${topology.pools.map((p) => p.name).join(', ') || '(none)'}`);
  }
  return renderCloudConfig(poolPlan(topology, pool));
}

/** The bastion's cloud-config document. */
export function renderBastionUserData(topology: ClusterTopology): string {
  return renderCloudConfig(bastionPlan(topology));
}
