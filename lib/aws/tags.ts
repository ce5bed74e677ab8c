import { ClusterLabels, NodeRoleTag } from '../model';

/**
 * Every tag the stack writes, and on what. This is the one table: the functions below take only
 * these keys (a new tag is a type error until it is listed here), and the cluster file may not
 * set any of them (`tag-rules.ts`), since the stack's value would silently win.
 */
export const STACK_TAGS = {
  cluster: 'every resource: the cluster name',
  role: 'instances and launch templates: zookeeper, mesos-master, marathon, control, mesos-agent, bastion or edge',
  pool: 'agents and their data volumes: the pool name',
  Name: 'every resource: <cluster>-<name>',
  services: 'quorum servers: the services they run',
  'managed-by': 'every resource, through the provider default tags: mesos-cluster',
  tier: 'subnets: public, control or agents',
  public: 'subnets: true or false',
  mountPath: 'data volumes: where the agent mounts them',
  backup: 'data volumes: true (Data Lifecycle Manager snapshots volumes tagged so)',
} as const;

export type StackTagKey = keyof typeof STACK_TAGS;
export const STACK_TAG_KEYS = Object.keys(STACK_TAGS) as readonly StackTagKey[];
type StackTags = { readonly [key in StackTagKey]?: string };

/** The cluster file's tags and the stack's own; the stack's cannot clash, validation refuses them. */
function withClusterTags(cluster: ClusterLabels, own: StackTags): Record<string, string> {
  return { ...cluster.tags, ...own };
}

/** The provider's default tags, on every resource. */
export function defaultTags(cluster: ClusterLabels): Record<string, string> {
  return withClusterTags(cluster, { cluster: cluster.name, 'managed-by': 'mesos-cluster' });
}

/** The tags every instance and launch template carries: `cluster`, `role`, `Name` and, on agents, `pool`. */
export function nodeTags(cluster: ClusterLabels, role: NodeRoleTag, name: string, pool?: string): Record<string, string> {
  return withClusterTags(cluster, { Name: `${cluster.name}-${name}`, cluster: cluster.name, role, ...(pool === undefined ? {} : { pool }) });
}

/** A quorum server's tags: a node's, and the services it runs. */
export function serverTags(cluster: ClusterLabels, role: NodeRoleTag, name: string, services: readonly string[]): Record<string, string> {
  return withClusterTags(cluster, { ...nodeTags(cluster, role, name), services: services.join(',') });
}

/** Tags for supporting resources (network, groups, volumes): the cluster's and a Name. */
export function resourceTags(cluster: ClusterLabels, name: string): Record<string, string> {
  return withClusterTags(cluster, { Name: `${cluster.name}-${name}`, cluster: cluster.name });
}

/** A subnet's tags: its tier and whether it is public. */
export function subnetTags(cluster: ClusterLabels, name: string, tier: string, isPublic: boolean): Record<string, string> {
  return withClusterTags(cluster, { Name: `${cluster.name}-${name}`, cluster: cluster.name, tier, public: String(isPublic) });
}

/** A data volume's tags: its pool, where it is mounted, and that it is backed up. */
export function dataVolumeTags(cluster: ClusterLabels, name: string, pool: string, mountPath: string): Record<string, string> {
  return withClusterTags(cluster, { Name: `${cluster.name}-${name}`, cluster: cluster.name, pool, mountPath, backup: 'true' });
}
