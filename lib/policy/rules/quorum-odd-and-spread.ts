import { PolicyNode } from '../policy-stack';
import { judge, NO_SCANNER, notApplicable, PolicyRule } from '../rule';

/** Services that elect by majority: a quorum of their servers must survive the loss of one zone where possible. */
const QUORUM_SERVICES = ['zookeeper', 'mesos-master'];

/** ZooKeeper and Mesos master quorums have an odd size and are spread evenly over distinct zones. */
export const quorumOddAndSpread: PolicyRule = {
  id: 'quorum-odd-and-spread',
  level: 'error',
  clouds: ['aws', 'openstack'],
  summary: 'ZooKeeper and Mesos master counts are odd and spread evenly over distinct zones',
  mirrors: NO_SCANNER,
  explanation: 'An even member adds no fault tolerance, and members crowded into one zone fall together',
  fix: 'use an odd count (zookeeper.count, masters.count) and place members round-robin over network.zones (the model does; check hand-made changes)',
  evaluate: ({ view }) =>
    QUORUM_SERVICES.map((service) => {
      const members = view.nodes.filter((n) => n.services.includes(service));
      const resource = `quorum:${service}`;
      if (members.length === 0) return notApplicable(resource, `no ${service} servers`);
      return judge(resource, quorumProblem(members, view.zones.length), `${members.length} members over ${zoneCounts(members).size} zones`);
    }),
};

function quorumProblem(members: readonly PolicyNode[], zoneCount: number): string | undefined {
  const names = members.map((m) => m.address).join(', ');
  const copied = members.find((m) => m.copies !== 1);
  if (copied) return `${copied.address} makes ${copied.copies ?? 'an unknown number of'} members with count or for_each: their number and zones cannot be checked; give each quorum member its own resource`;
  if (members.length % 2 === 0) return `${members.length} members (${names}): an even count tolerates no more failures than one fewer`;
  const counts = zoneCounts(members);
  if (counts.has(undefined)) return `the zone of some members is unknown (${names})`;
  const zones = Math.max(1, Math.min(zoneCount, members.length));
  const fairShare = Math.ceil(members.length / zones);
  const crowded = [...counts].filter(([, n]) => n > fairShare);
  if (counts.size < zones || crowded.length > 0) {
    return `members are spread ${[...counts].map(([z, n]) => `${n} in ${z}`).join(', ')}; ${zones} zones allow at most ${fairShare} per zone`;
  }
  return undefined;
}

function zoneCounts(members: readonly PolicyNode[]): Map<string | undefined, number> {
  const counts = new Map<string | undefined, number>();
  for (const m of members) counts.set(m.zone, (counts.get(m.zone) ?? 0) + 1);
  return counts;
}
