import { AgentPoolTopology, ClusterTopology } from '../model';
import { NODE, UnitGroup } from './layout';
import { renderTemplate } from './templates';
import { configFile, WriteFile } from './write-file';

/**
 * The health of a volume-backed agent on AWS, as a CloudWatch metric its alarm watches
 * (lib/aws/volume-agent-alarms.ts): such agents have no Auto Scaling group to report to.
 */
export const AGENT_HEALTH_METRIC = {
  name: 'AgentHealthy',
  /** The one dimension: the agent's stable name (`jenkins-masters-2`), the alarm's key too. */
  dimension: 'Agent',
  /** How often the agent publishes, and the alarm's period. */
  periodSeconds: 60,
  /** An agent counts as healthy this long after its first boot while it is not ready yet. */
  bootSeconds: 1800,
} as const;

/** Every agent of a cluster publishes into the cluster's own namespace, the one its role may write. */
export const agentHealthNamespace = (clusterName: string): string => `mesos-cluster/${clusterName}`;

/** AWS agents with a data volume: plain instances that nothing else watches. */
export function publishesHealth(topology: ClusterTopology, pool: AgentPoolTopology): boolean {
  return topology.cluster.cloud === 'aws' && pool.volume !== undefined;
}

export function agentHealthUnits(topology: ClusterTopology, pool: AgentPoolTopology): UnitGroup[] {
  return publishesHealth(topology, pool) ? ['agent-health'] : [];
}

export function agentHealthHelpers(topology: ClusterTopology, pool: AgentPoolTopology): string[] {
  return publishesHealth(topology, pool) ? ['agent-health'] : [];
}

/** What agent-health reads from facts.env. */
export function agentHealthFacts(topology: ClusterTopology, pool: AgentPoolTopology): Record<string, string | number> {
  if (!publishesHealth(topology, pool)) return {};
  return {
    CLUSTER_HEALTH_NAMESPACE: agentHealthNamespace(topology.cluster.name),
    CLUSTER_HEALTH_METRIC: AGENT_HEALTH_METRIC.name,
    CLUSTER_HEALTH_DIMENSION: AGENT_HEALTH_METRIC.dimension,
    CLUSTER_HEALTH_BOOT_SECONDS: AGENT_HEALTH_METRIC.bootSeconds,
  };
}

export function agentHealthFiles(topology: ClusterTopology, pool: AgentPoolTopology): WriteFile[] {
  if (!publishesHealth(topology, pool)) return [];
  const intervalSeconds = AGENT_HEALTH_METRIC.periodSeconds;
  return [
    configFile(
      '/etc/systemd/system/mesos-agent-health.service',
      renderTemplate('mesos/agent-health.service.ejs', { script: `${NODE.scriptDir}/agent-health`, timeoutSeconds: intervalSeconds }),
    ),
    configFile('/etc/systemd/system/mesos-agent-health.timer', renderTemplate('mesos/agent-health.timer.ejs', { intervalSeconds })),
  ];
}
