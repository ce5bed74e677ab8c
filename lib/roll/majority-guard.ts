import { ClusterTopology, majority } from '../model';
import { CheckResult } from '../verify/check-result';
import { majorityWouldBeLost } from './messages';
import { QuorumService, RollServer } from './roll-types';

/** Which members of each quorum serve, by server name. */
export type QuorumHealth = ReadonlyMap<QuorumService, ReadonlyMap<string, boolean>>;

/** The `verify` check that reports each quorum's members, one row per server. */
const CHECK_OF: Record<QuorumService, string> = { zookeeper: 'zookeeper', 'mesos-master': 'mesos-masters', marathon: 'marathon' };

/** Each quorum member's health from the pre-step checks' rows. */
export function quorumHealth(checks: readonly CheckResult[]): QuorumHealth {
  const health = new Map<QuorumService, Map<string, boolean>>();
  for (const [service, check] of Object.entries(CHECK_OF) as Array<[QuorumService, string]>) {
    const rows = checks.find((c) => c.check === check)?.rows ?? [];
    health.set(service, new Map(rows.map((r) => [r.subject, r.status === 'ok'])));
  }
  return health;
}

function membersOf(topology: ClusterTopology, service: QuorumService): string[] {
  const servers = service === 'zookeeper' ? topology.zookeeper.servers : service === 'mesos-master' ? topology.mesos.masters : topology.marathon.servers;
  return servers.map((s) => s.name);
}

/**
 * Why replacing `server` now could leave one of its quorums without a majority, or undefined
 * when it may go: every member serves (a member already down, or not reported, means no step
 * on that quorum) and the others alone are still a majority.
 */
export function majorityGuard(topology: ClusterTopology, server: RollServer, health: QuorumHealth): string | undefined {
  for (const service of server.quorums) {
    const members = membersOf(topology, service);
    const serving = members.filter((m) => health.get(service)?.get(m) === true);
    const down = members.filter((m) => !serving.includes(m));
    const left = serving.filter((m) => m !== server.name).length;
    if (down.length > 0 || left < majority(members.length)) {
      return majorityWouldBeLost(server.name, service, serving.length, members.length, majority(members.length), down);
    }
  }
  return undefined;
}
