import { AgentRole, ServerRole } from './roles';
import { BackendSpec, Cloud, ClusterSpec, PoolSpec, QuorumSpec, VolumeSpec } from './spec';

/** Every default of the cluster file, resolved here and nowhere else. */
export const DEFAULT_NETWORK_CIDR = '10.0.0.0/16';
export const DEFAULT_QUORUM_COUNT = 3;
export const DEFAULT_MESOS_ROLE = '*';
export const DEFAULT_QUORUM_ROOT_GIB = 30;
export const DEFAULT_AGENT_ROOT_GIB = 50;
export const DEFAULT_BASTION_ROOT_GIB = 30;
export const DEFAULT_AWS_ROOT_DEVICE = '/dev/xvda';

/** Sizes per cloud and role. OpenStack flavors differ per installation, so it has none. */
const DEFAULT_SIZES: Record<Cloud, Partial<Record<ServerRole | AgentRole | 'bastion', string>>> = {
  aws: {
    zookeeper: 't3.medium',
    'mesos-master': 'm5.large',
    marathon: 'm5.large',
    control: 'm5.xlarge',
    'mesos-agent': 'm5.xlarge',
    bastion: 't3.micro',
  },
  openstack: {},
};

export interface ResolvedQuorum {
  readonly count: number;
  readonly size: string;
  readonly rootVolumeGiB: number;
}

export interface ResolvedPool {
  readonly name: string;
  readonly count: number;
  readonly size: string;
  readonly mesosRole: string;
  /** Includes `pool: <name>` first. */
  readonly attributes: Readonly<Record<string, string | number>>;
  readonly volume?: VolumeSpec;
  readonly docker: boolean;
  readonly rootVolumeGiB: number;
}

/** A valid cluster file with every default filled in. */
export interface ResolvedCluster {
  readonly name: string;
  readonly cloud: Cloud;
  readonly image: string;
  readonly sshKey: { readonly name: string; readonly publicKey?: string };
  readonly network: { readonly cidr: string; readonly zones: readonly string[]; readonly adminCidrs: readonly string[] };
  readonly zookeeper: ResolvedQuorum;
  readonly masters: ResolvedQuorum;
  readonly marathon: ResolvedQuorum;
  readonly colocate: boolean;
  readonly bastion: { readonly size: string; readonly rootVolumeGiB: number };
  /** In the order of the cluster file. */
  readonly pools: readonly ResolvedPool[];
  readonly tags: Readonly<Record<string, string>>;
  readonly backend: BackendSpec;
  readonly aws?: { readonly region: string; readonly rootDeviceName: string };
}

/** Fills in defaults; call only on a spec that passed validation. */
export function resolveDefaults(spec: ClusterSpec): ResolvedCluster {
  const colocate = spec.colocate ?? false;
  const size = (role: ServerRole | AgentRole | 'bastion', given: string | undefined): string => {
    const resolved = given ?? DEFAULT_SIZES[spec.cloud][role];
    if (resolved === undefined) throw new Error(`no size for ${role} on ${spec.cloud}; validation should have caught this`);
    return resolved;
  };
  const quorum = (given: QuorumSpec | undefined, role: ServerRole): ResolvedQuorum => ({
    count: given?.count ?? DEFAULT_QUORUM_COUNT,
    size: size(colocate ? 'control' : role, given?.size),
    rootVolumeGiB: given?.rootVolumeGiB ?? DEFAULT_QUORUM_ROOT_GIB,
  });
  return {
    name: spec.name,
    cloud: spec.cloud,
    image: spec.image,
    sshKey: spec.sshKey,
    network: {
      cidr: spec.network.cidr ?? DEFAULT_NETWORK_CIDR,
      zones: spec.network.zones,
      adminCidrs: spec.network.adminCidrs,
    },
    zookeeper: quorum(spec.zookeeper, 'zookeeper'),
    masters: quorum(spec.masters, 'mesos-master'),
    marathon: quorum(spec.marathon, 'marathon'),
    colocate,
    bastion: {
      size: size('bastion', spec.bastion?.size),
      rootVolumeGiB: spec.bastion?.rootVolumeGiB ?? DEFAULT_BASTION_ROOT_GIB,
    },
    pools: Object.entries(spec.pools ?? {}).map(([name, pool]) => resolvePool(name, pool, size('mesos-agent', pool.size))),
    tags: spec.tags ?? {},
    backend: spec.backend ?? { type: 'local' },
    aws: spec.aws && { region: spec.aws.region, rootDeviceName: spec.aws.rootDeviceName ?? DEFAULT_AWS_ROOT_DEVICE },
  };
}

function resolvePool(name: string, pool: PoolSpec, size: string): ResolvedPool {
  const { pool: _ignored, ...extra } = pool.attributes ?? {};
  return {
    name,
    count: pool.count,
    size,
    mesosRole: pool.mesosRole ?? DEFAULT_MESOS_ROLE,
    attributes: { pool: name, ...extra },
    volume: pool.volume,
    docker: pool.docker ?? false,
    rootVolumeGiB: pool.rootVolumeGiB ?? DEFAULT_AGENT_ROOT_GIB,
  };
}
