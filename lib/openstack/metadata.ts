import { ClusterLabels, NodeRoleTag } from '../model';

/**
 * Every server metadata key the stack writes. The cluster file's `tags` become metadata too,
 * and may not take these keys (cluster-rules.ts), since the stack's value would silently win.
 */
export const STACK_METADATA = {
  cluster: 'every server: the cluster name',
  role: 'zookeeper, mesos-master, marathon, control, mesos-agent, edge or bastion',
  pool: 'agents and their data volumes: the pool name',
  agent: 'agents: the agent name (<pool>-<n>); a volume agent names its volume after it at boot (agent-identity)',
  services: 'quorum servers: the services they run',
  'managed-by': 'every server and volume: mesos-cluster',
  mountPath: 'data volumes: where the agent mounts them',
  backup: 'data volumes: true',
  'secrets-auth-url': 'nodes that read secrets: the Keystone URL their credential authenticates at',
  'secrets-credential-id': "nodes that read secrets: their role's application credential (secret-credentials.ts)",
  'secrets-credential-secret': "nodes that read secrets: that credential's secret",
} as const;

export type StackMetadataKey = keyof typeof STACK_METADATA;
export const STACK_METADATA_KEYS = Object.keys(STACK_METADATA) as readonly StackMetadataKey[];
export type StackMetadata = { readonly [key in StackMetadataKey]?: string };

/** The cluster file's tags and the stack's own keys; validation refuses a clash. */
export function metadata(cluster: ClusterLabels, own: StackMetadata): Record<string, string> {
  return { ...cluster.tags, cluster: cluster.name, 'managed-by': 'mesos-cluster', ...own };
}

/** A server's metadata: `cluster`, `role` and, on agents, `pool` and `agent`. */
export function nodeMetadata(cluster: ClusterLabels, role: NodeRoleTag, extra: StackMetadata = {}): Record<string, string> {
  return metadata(cluster, { role, ...extra });
}
