import { parseIpv4Cidr, Ipv4Network } from './cidr';
import { ResolvedCluster, ResolvedPool, ResolvedQuorum } from './defaults';
import { fixedAddress, volumeAgentFirstHost, zoneSubnets, ZoneSubnets } from './network-layout';
import { hostAddress } from './cidr';
import { PORTS } from './ports';
import { SERVER_NAME_PREFIX, ServerRole, SERVICES_OF, ServiceRole } from './roles';

/** A server with a fixed address: ZooKeeper, Mesos master, Marathon, or all three (`control`). */
export interface QuorumServer {
  /** Stable name, e.g. `zookeeper-2`; also the construct id and hostname. */
  readonly name: string;
  readonly role: ServerRole;
  readonly services: readonly ServiceRole[];
  /** 1-based position within its role. */
  readonly ordinal: number;
  readonly zone: ZoneSubnets;
  readonly privateIp: string;
  readonly size: string;
  readonly rootVolumeGiB: number;
  /** ZooKeeper `myid`, when the server runs ZooKeeper. */
  readonly zookeeperId?: number;
}

/** One agent of a pool; agents of pools without volumes are only counted, not placed. */
export interface AgentNode {
  /** Stable name, e.g. `builds-7`. */
  readonly name: string;
  readonly ordinal: number;
  readonly zone: ZoneSubnets;
  /** Agents of volume pools: a fixed address in the zone's control subnet. */
  readonly privateIp?: string;
}

export interface AgentPoolTopology extends ResolvedPool {
  readonly agents: readonly AgentNode[];
  /** Volume pools: host offset of the pool's first agent in each zone's control subnet. */
  readonly firstHost?: number;
}

/** Everything derived from a cluster file that clouds and templates share; `C` narrows it to one cloud's cluster. */
export interface ClusterTopology<C extends ResolvedCluster = ResolvedCluster> {
  readonly cluster: C;
  readonly zones: readonly ZoneSubnets[];
  /** Every fixed-address server, in role order. */
  readonly servers: readonly QuorumServer[];
  readonly zookeeper: {
    readonly servers: readonly QuorumServer[];
    /** `ip:2181,ip:2181,...` */
    readonly connectString: string;
  };
  readonly mesos: {
    readonly masters: readonly QuorumServer[];
    /** `zk://ip:2181,.../mesos` */
    readonly zkUrl: string;
    /** Replicated-log quorum, a strict majority of masters. */
    readonly quorum: number;
  };
  readonly marathon: {
    readonly servers: readonly QuorumServer[];
    /** `zk://ip:2181,.../marathon` */
    readonly zkUrl: string;
  };
  readonly pools: readonly AgentPoolTopology[];
}

/** Role blocks of fixed addresses inside a zone's control subnet (see network-layout.ts). */
const ADDRESS_BLOCK: Record<ServerRole, number> = { zookeeper: 0, control: 0, 'mesos-master': 1, marathon: 2 };

export function buildTopology<C extends ResolvedCluster>(cluster: C): ClusterTopology<C> {
  const network = parseIpv4Cidr(cluster.network.cidr) as Ipv4Network;
  const zones = cluster.network.zones.map((zone, index) => zoneSubnets(network, zone, index));
  const servers = cluster.colocate
    ? placeServers('control', cluster.zookeeper, zones, network)
    : [
        ...placeServers('zookeeper', cluster.zookeeper, zones, network),
        ...placeServers('mesos-master', cluster.masters, zones, network),
        ...placeServers('marathon', cluster.marathon, zones, network),
      ];
  const running = (service: ServiceRole) => servers.filter((s) => s.services.includes(service));
  const zookeeperServers = running('zookeeper');
  const connectString = zookeeperServers.map((s) => `${s.privateIp}:${PORTS.zookeeperClient}`).join(',');
  const masters = running('mesos-master');
  return {
    cluster,
    zones,
    servers,
    zookeeper: { servers: zookeeperServers, connectString },
    mesos: { masters, zkUrl: `zk://${connectString}/mesos`, quorum: majority(masters.length) },
    marathon: { servers: running('marathon'), zkUrl: `zk://${connectString}/marathon` },
    pools: cluster.pools.map((pool) => {
      const slot = cluster.pools.filter((p) => p.volume).indexOf(pool);
      return slot < 0 ? { ...pool, agents: placeAgents(pool, zones) } : pinnedPool(pool, zones, volumeAgentFirstHost(network, slot));
    }),
  };
}

/** A strict majority: ⌊n/2⌋+1. */
export function majority(n: number): number {
  return Math.floor(n / 2) + 1;
}

/** Round-robin over zones; the k-th server of a role in a zone takes the k-th fixed address of its block. */
function placeServers(role: ServerRole, quorum: ResolvedQuorum, zones: readonly ZoneSubnets[], network: Ipv4Network): QuorumServer[] {
  return Array.from({ length: quorum.count }, (_, i) => {
    const zone = zones[i % zones.length];
    const services = SERVICES_OF[role];
    return {
      name: `${SERVER_NAME_PREFIX[role]}-${i + 1}`,
      role,
      services,
      ordinal: i + 1,
      zone,
      privateIp: fixedAddress(network, zone.index, ADDRESS_BLOCK[role], Math.floor(i / zones.length)),
      size: quorum.size,
      rootVolumeGiB: quorum.rootVolumeGiB,
      zookeeperId: services.includes('zookeeper') ? i + 1 : undefined,
    };
  });
}

/** Round-robin over zones; `lib/terraform/round-robin-map.ts` states the same rule for Terraform to evaluate (tested equal). */
function placeAgents(pool: ResolvedPool, zones: readonly ZoneSubnets[]): AgentNode[] {
  return Array.from({ length: pool.count }, (_, i) => ({
    name: `${pool.name}-${i + 1}`,
    ordinal: i + 1,
    zone: zones[i % zones.length],
  }));
}

/** A volume pool: the k-th agent of a zone takes host `firstHost + k` of the zone's control subnet. */
function pinnedPool(pool: ResolvedPool, zones: readonly ZoneSubnets[], firstHost: number): AgentPoolTopology {
  const agents = placeAgents(pool, zones).map((agent, i) => ({
    ...agent,
    privateIp: hostAddress(parseIpv4Cidr(agent.zone.controlCidr) as Ipv4Network, firstHost + Math.floor(i / zones.length)),
  }));
  return { ...pool, agents, firstHost };
}
