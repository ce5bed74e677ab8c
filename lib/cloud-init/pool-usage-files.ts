import { AgentPoolTopology, ClusterTopology, QuorumServer } from '../model';
import { agentHealthNamespace } from './agent-health-files';
import { NODE, UnitGroup } from './layout';
import { renderTemplate } from './templates';
import { configFile, WriteFile } from './write-file';

/**
 * The signal elastic pools scale on: the share of a pool's CPUs that Mesos has allocated to
 * tasks, published by the leading master (cloud-init/scripts/pool-usage.sh) and tracked by the
 * pool's scaling policy (lib/aws/auto-scaled-agent-pool.ts).
 */
export const POOL_USAGE_METRIC = {
  name: 'CpuAllocatedPercent',
  /** The one dimension: the pool's name. */
  dimension: 'Pool',
  unit: 'Percent',
  /** How often the masters look, and the policy's metric period. */
  periodSeconds: 60,
} as const;

/** The cluster's own namespace, shared with agent health: the one namespace the nodes may write. */
export const poolUsageNamespace = agentHealthNamespace;

/** AWS pools with autoscale; only they have a group that follows the signal. */
export function elasticPools(topology: ClusterTopology): AgentPoolTopology[] {
  return topology.cluster.cloud === 'aws' ? topology.pools.filter((p) => p.autoscale !== undefined) : [];
}

/** Every master publishes while it leads; a cluster without elastic pools gets nothing. */
export function publishesPoolUsage(topology: ClusterTopology, server: QuorumServer): boolean {
  return server.services.includes('mesos-master') && elasticPools(topology).length > 0;
}

export function poolUsageUnits(topology: ClusterTopology, server: QuorumServer): UnitGroup[] {
  return publishesPoolUsage(topology, server) ? ['pool-usage'] : [];
}

export function poolUsageHelpers(topology: ClusterTopology, server: QuorumServer): string[] {
  return publishesPoolUsage(topology, server) ? ['pool-usage'] : [];
}

/** What pool-usage reads from facts.env; pool names are DNS-safe, so a comma-separated list. */
export function poolUsageFacts(topology: ClusterTopology, server: QuorumServer): Record<string, string> {
  if (!publishesPoolUsage(topology, server)) return {};
  return {
    CLUSTER_USAGE_NAMESPACE: poolUsageNamespace(topology.cluster.name),
    CLUSTER_USAGE_METRIC: POOL_USAGE_METRIC.name,
    CLUSTER_USAGE_DIMENSION: POOL_USAGE_METRIC.dimension,
    CLUSTER_USAGE_POOLS: elasticPools(topology)
      .map((p) => p.name)
      .join(','),
  };
}

export function poolUsageFiles(topology: ClusterTopology, server: QuorumServer): WriteFile[] {
  if (!publishesPoolUsage(topology, server)) return [];
  const intervalSeconds = POOL_USAGE_METRIC.periodSeconds;
  return [
    configFile(
      '/etc/systemd/system/mesos-pool-usage.service',
      renderTemplate('mesos/pool-usage.service.ejs', { script: `${NODE.scriptDir}/pool-usage`, timeoutSeconds: intervalSeconds }),
    ),
    configFile('/etc/systemd/system/mesos-pool-usage.timer', renderTemplate('mesos/pool-usage.timer.ejs', { intervalSeconds })),
  ];
}
