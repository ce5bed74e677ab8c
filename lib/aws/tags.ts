import { NodeRoleTag, ResolvedCluster } from '../model';

/** The tags every instance and launch template carries: `cluster`, `role`, `Name` and, on agents, `pool`. */
export function nodeTags(cluster: ResolvedCluster, role: NodeRoleTag, name: string, pool?: string): Record<string, string> {
  return {
    ...cluster.tags,
    Name: `${cluster.name}-${name}`,
    cluster: cluster.name,
    role,
    ...(pool === undefined ? {} : { pool }),
  };
}

/** Tags for supporting resources (network, groups, volumes): the cluster's and a Name. */
export function resourceTags(cluster: ResolvedCluster, name: string): Record<string, string> {
  return { ...cluster.tags, Name: `${cluster.name}-${name}`, cluster: cluster.name };
}
