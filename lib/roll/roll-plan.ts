import { ClusterTopology } from '../model';
import { leadersUnknown, noStateFound, notComparable, notInState } from './messages';
import { AutoScaledGroup, Leaders, RollPlan, RollServer, RollStep } from './roll-types';
import { autoScaledGroups, rollableServers, StackResources } from './stack-servers';
import { serverDrift, StateValues } from './state-drift';

export interface RollPlanInput {
  readonly topology: ClusterTopology;
  /** The synthesized stack's `resource` block. */
  readonly resources: StackResources;
  /** `terraform show -json`, read; undefined when there is no state. */
  readonly state?: StateValues;
  /** Who leads each quorum; undefined when the cluster was not asked. */
  readonly leaders?: Leaders;
  /** `--role`: only this role's servers. */
  readonly role?: string;
}

/** Every `--role` value the stack has, in roll order. */
export function rollRoles(input: Pick<RollPlanInput, 'topology' | 'resources'>): string[] {
  const roles = [...rollableServers(input.topology, input.resources).map((s) => s.role), ...autoScaledGroups(input.topology, input.resources).map((g) => g.role)];
  return [...new Set(roles)].sort((a, b) => roleRank(input.topology, a) - roleRank(input.topology, b));
}

/** Quorums first (ZooKeeper, masters, Marathon), then pools in file order, the edge, the bastion last. */
function roleRank(topology: ClusterTopology, role: string): number {
  const fixed: Record<string, number> = { control: 0, zookeeper: 0, masters: 1, marathon: 2, edge: 1000, bastion: 1001 };
  if (fixed[role] !== undefined) return fixed[role];
  const pool = topology.pools.findIndex((p) => p.name === role);
  return pool >= 0 ? 10 + pool : 999;
}

/** How late in its role a server goes: the leaders of its quorums last (ZooKeeper's the very last). */
function leaderRank(server: RollServer, leaders: Leaders): number {
  return (leaders.zookeeper === server.name ? 4 : 0) + (leaders.mesos === server.name ? 2 : 0) + (leaders.marathon === server.name ? 1 : 0);
}

const ordinal = (name: string) => Number(/-(\d+)$/.exec(name)?.[1] ?? 0);

/**
 * The roll, one step per server: the servers whose image, user data or size in the state differ
 * from the stack (every server considered, without state), ZooKeeper followers before its
 * leader, then Mesos masters (the leader last), Marathon, the pools' agents, the edge and the
 * bastion; Auto Scaling groups by an instance refresh in their pool's place.
 */
export function planRoll(input: RollPlanInput): RollPlan {
  const { topology, resources, state, role } = input;
  const leaders = input.leaders ?? {};
  const notes: string[] = [];
  const current: string[] = [];
  if (state === undefined) notes.push(noStateFound());
  const servers = rollableServers(topology, resources).filter((s) => role === undefined || s.role === role);
  if (input.leaders === undefined && servers.some((s) => s.quorums.length > 0)) notes.push(leadersUnknown());

  const rank = (roleName: string, server?: RollServer) => roleRank(topology, roleName) * 1_000_000 + (server ? leaderRank(server, leaders) * 10_000 + ordinal(server.name) : 9_999);
  const ranked: Array<{ rank: number; step: RollStep }> = [];
  for (const server of servers) {
    const drift = state === undefined ? { state: 'no state' as const } : serverDrift(server, state);
    if (drift.state === 'current') current.push(server.name);
    else if (drift.state === 'missing') notes.push(notInState(server.name, server.address));
    else if (drift.state === 'unknown') notes.push(notComparable(server.name, drift.reasons));
    else {
      const reasons = drift.state === 'differs' ? drift.reasons : ['considered: no state to compare'];
      const leader = leaderRank(server, leaders) > 0;
      ranked.push({ rank: rank(server.role, server), step: { kind: 'replace', server, reasons, leader } });
    }
  }
  const groups: AutoScaledGroup[] = autoScaledGroups(topology, resources).filter((g) => role === undefined || g.role === role);
  for (const group of groups) ranked.push({ rank: rank(group.role), step: { kind: 'instance-refresh', group } });
  return { steps: ranked.sort((a, b) => a.rank - b.rank).map((r) => r.step), notes, current };
}
