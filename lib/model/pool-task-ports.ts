import { hostsJenkinsMasters } from './cluster-secrets';
import { AgentPoolTopology } from './topology';
import { PORTS } from './ports';

/**
 * Task ports between agent pools, cloud-neutral. Every pool has a group of its own beside the
 * shared `mesos-agent` group (firewall.ts), and these are the only rules between pools' groups:
 * the build agents that Jenkins runs connect back to their master, on its HTTP and inbound-agent
 * ports. Nothing else of the Jenkins masters' agents, and no task port of another build pool,
 * is open to a pool. Marathon's health checks and the edge reach task ports through the shared
 * group's rules (`task-ports-from-marathon`, `task-ports-from-edge`).
 */
export interface PoolTaskPortRule {
  /** Stable rule name, unique per target pool; becomes part of the resource address. */
  readonly name: string;
  /** The pool whose group admits the traffic. */
  readonly toPool: string;
  /** The pool whose group is the source. */
  readonly fromPool: string;
  readonly port: number;
  readonly description: string;
}

/** The name part of a pool's own group: `<cluster>-tasks-<pool>`, construct id `tasks-<pool>`. */
export function poolTaskGroup(pool: string): string {
  return `tasks-${pool}`;
}

/** Pools that offer unreserved (`*`) resources, which Jenkins' builds run on (lib/apps/mesos-cloud-casc.ts). */
export function runsBuilds(pool: AgentPoolTopology): boolean {
  return pool.mesosRole === '*';
}

const JENKINS_PORTS = [
  { name: 'jenkins-http', port: PORTS.jenkinsHttp, what: 'HTTP (agent.jar, the JNLP file)' },
  { name: 'jenkins-inbound-agent', port: PORTS.jenkinsInboundAgent, what: 'inbound-agent port' },
] as const;

export function poolTaskPortRules(pools: readonly AgentPoolTopology[]): PoolTaskPortRule[] {
  const masters = pools.filter(hostsJenkinsMasters);
  const builds = pools.filter(runsBuilds);
  return masters.flatMap((to) =>
    builds.flatMap((from) =>
      JENKINS_PORTS.map(({ name, port, what }) => ({
        name: `${name}-from-${from.name}`,
        toPool: to.name,
        fromPool: from.name,
        port,
        description: `Build agents of ${from.name} to their Jenkins master's ${what}`,
      })),
    ),
  );
}
