import { AGENT_DRAIN, AGENT_DRAIN_BOUND_SECONDS, AgentPoolTopology, ClusterTopology } from '../model';
import { NODE, UnitGroup } from './layout';
import { drainGates } from './drain-gate-files';
import { AGENT_SECRET_FILES } from './mesos-auth';
import { renderTemplate } from './templates';
import { configFile, WriteFile } from './write-file';

/** How often an auto-scaled agent looks at its lifecycle state in instance metadata. */
export const LIFECYCLE_POLL_SECONDS = 10;

/**
 * Auto Scaling groups hold a terminating instance for its termination hook; only AWS pools
 * without volumes are such groups (lib/aws/auto-scaled-agent-pool.ts).
 */
export function watchesLifecycle(topology: ClusterTopology, pool: AgentPoolTopology): boolean {
  return topology.cluster.cloud === 'aws' && pool.volume === undefined;
}

/** The units that drain an agent: on every shutdown, and on Auto Scaling termination. */
export function agentDrainUnits(topology: ClusterTopology, pool: AgentPoolTopology): UnitGroup[] {
  return watchesLifecycle(topology, pool) ? ['agent-drain', 'agent-lifecycle'] : ['agent-drain'];
}

/** The helper scripts those units run. */
export function agentDrainHelpers(topology: ClusterTopology, pool: AgentPoolTopology): string[] {
  return watchesLifecycle(topology, pool) ? ['drain-agent', 'agent-lifecycle'] : ['drain-agent'];
}

/**
 * Facts the drain script reads: its bounds, the same ones the cloud's removal hook allows for,
 * the masters' drain gates it asks, and the pool's credential it proves itself with there (the
 * masters' --acls let only the operator drain; the gates drain an agent for itself alone).
 */
export function agentDrainFacts(topology: ClusterTopology): Record<string, number | string> {
  return {
    CLUSTER_DRAIN_GATES: drainGates(topology),
    CLUSTER_DRAIN_WAIT_SECONDS: AGENT_DRAIN.waitSeconds,
    CLUSTER_DRAIN_CREDENTIAL_FILE: AGENT_SECRET_FILES.credential,
  };
}

export function agentDrainFiles(topology: ClusterTopology, pool: AgentPoolTopology): WriteFile[] {
  const boundSeconds = AGENT_DRAIN_BOUND_SECONDS;
  const files = [
    configFile(
      '/etc/systemd/system/mesos-agent-drain.service',
      renderTemplate('mesos/agent-drain.service.ejs', { script: `${NODE.scriptDir}/drain-agent`, boundSeconds }),
    ),
  ];
  if (!watchesLifecycle(topology, pool)) return files;
  return [
    ...files,
    configFile(
      '/etc/systemd/system/mesos-agent-lifecycle.service',
      renderTemplate('mesos/agent-lifecycle.service.ejs', { script: `${NODE.scriptDir}/agent-lifecycle`, boundSeconds }),
    ),
    configFile('/etc/systemd/system/mesos-agent-lifecycle.timer', renderTemplate('mesos/agent-lifecycle.timer.ejs', { intervalSeconds: LIFECYCLE_POLL_SECONDS })),
  ];
}
