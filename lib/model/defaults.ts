import { AwsCloudSettings, CloudRules, edgeCountOf, OpenstackCloudSettings, SizedRole } from './cloud-rules';
import { ServerRole } from './roles';
import { AutoscaleSpec, BackendSpec, ClusterSpec, PolicySuppressionSpec, PoolSpec, QuorumSpec, VolumeBackupSpec, VolumeSpec } from './spec';

/** The cloud-neutral defaults of the cluster file; sizes and cloud settings come from the cloud's rules. */
export const DEFAULT_NETWORK_CIDR = '10.0.0.0/16';
export const DEFAULT_QUORUM_COUNT = 3;
export const DEFAULT_MESOS_ROLE = '*';
export const DEFAULT_QUORUM_ROOT_GIB = 30;
export const DEFAULT_AGENT_ROOT_GIB = 50;
export const DEFAULT_BASTION_ROOT_GIB = 30;
/** An elastic pool keeps this share of its CPUs allocated: headroom for a burst while new agents boot. */
export const DEFAULT_AUTOSCALE_TARGET_PERCENT = 70;

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
  readonly volume?: ResolvedVolume;
  readonly docker: boolean;
  readonly rootVolumeGiB: number;
  /** Undefined: a fixed size of `count` agents. */
  readonly autoscale?: ResolvedAutoscale;
}

export type ResolvedAutoscale = Required<AutoscaleSpec>;

/**
 * A valid cluster file with every default filled in; the cloud's own section is resolved by its
 * rules. A union on `cloud`: check it (or take an AwsCluster / OpenstackCluster) to read the section.
 */
export type ResolvedCluster = AwsCluster | OpenstackCluster;
export interface AwsCluster extends ClusterCommon, AwsCloudSettings {}
export interface OpenstackCluster extends ClusterCommon, OpenstackCloudSettings {}

/** What names and tags a cluster's resources: its name and the file's `tags`. */
export type ClusterLabels = Pick<ClusterCommon, 'name' | 'tags'>;

/** The settings every cloud's cluster has; `cloud` and its section come from ResolvedCloudSettings. */
export interface ClusterCommon {
  readonly name: string;
  readonly image: string;
  readonly sshKey: { readonly name: string; readonly publicKey?: string };
  readonly network: { readonly cidr: string; readonly zones: readonly string[]; readonly adminCidrs: readonly string[] };
  readonly zookeeper: ResolvedQuorum;
  readonly masters: ResolvedQuorum;
  readonly marathon: ResolvedQuorum;
  readonly colocate: boolean;
  readonly bastion: { readonly size: string; readonly rootVolumeGiB: number };
  readonly tls: { readonly mesos: boolean; readonly marathon: boolean };
  /** Undefined: no edge (`edge.count: 0`, or the cloud's default count is 0). */
  readonly edge?: ResolvedEdge;
  /** In the order of the cluster file. */
  readonly pools: readonly ResolvedPool[];
  readonly tags: Readonly<Record<string, string>>;
  readonly backend: BackendSpec;
  readonly policy: { readonly suppressions: readonly PolicySuppressionSpec[] };
}

/** Fills in defaults, sizes from the cloud's `rules`; call only on a spec that passed validation. */
export function resolveDefaults(spec: ClusterSpec, rules: CloudRules): ResolvedCluster {
  const colocate = spec.colocate ?? false;
  const size = (role: SizedRole, given: string | undefined): string => {
    const resolved = given ?? rules.defaultSizes[role];
    if (resolved === undefined) throw new Error(`no size for ${role} on ${spec.cloud}; validation should have caught this`);
    return resolved;
  };
  const quorum = (given: QuorumSpec | undefined, role: ServerRole): ResolvedQuorum => ({
    count: given?.count ?? DEFAULT_QUORUM_COUNT,
    // Colocated, every quorum runs on the control servers, sized by zookeeper (validation refuses other sizes).
    size: size(colocate ? 'control' : role, colocate ? spec.zookeeper?.size : given?.size),
    rootVolumeGiB: given?.rootVolumeGiB ?? DEFAULT_QUORUM_ROOT_GIB,
  });
  const edgeCount = edgeCountOf(spec, rules);
  return {
    name: spec.name,
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
    tls: { mesos: spec.tls?.mesos ?? false, marathon: spec.tls?.marathon ?? false },
    bastion: {
      size: size('bastion', spec.bastion?.size),
      rootVolumeGiB: spec.bastion?.rootVolumeGiB ?? DEFAULT_BASTION_ROOT_GIB,
    },
    // No edge, no size: a cloud without a default size need not be given one.
    edge: edgeCount > 0 ? { count: edgeCount, size: size('edge', spec.edge?.size), domain: spec.edge?.domain, cidrs: spec.edge?.cidrs ?? [] } : undefined,
    pools: Object.entries(spec.pools ?? {}).map(([name, pool]) => resolvePool(name, pool, size('mesos-agent', pool.size))),
    tags: spec.tags ?? {},
    backend: spec.backend ?? { type: 'local' },
    policy: { suppressions: spec.policy?.suppressions ?? [] },
    // `cloud` and its section, together, so the union on `cloud` holds.
    ...rules.resolveSettings(spec),
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
    volume: pool.volume && resolveVolume(pool.volume),
    docker: pool.docker ?? false,
    rootVolumeGiB: pool.rootVolumeGiB ?? DEFAULT_AGENT_ROOT_GIB,
    ...(pool.autoscale && { autoscale: { targetPercent: DEFAULT_AUTOSCALE_TARGET_PERCENT, ...pool.autoscale } }),
  };
}

/** Snapshot defaults: daily at 03:00 UTC, a week kept. */
export const DEFAULT_VOLUME_BACKUP: Required<VolumeBackupSpec> = { everyHours: 24, at: '03:00', keep: 7 };

export interface ResolvedVolume extends VolumeSpec {
  readonly backup: Required<VolumeBackupSpec>;
}

function resolveVolume(volume: VolumeSpec): ResolvedVolume {
  return { ...volume, backup: { ...DEFAULT_VOLUME_BACKUP, ...volume.backup } };
}

/** Two edge servers: one can be replaced while the other serves. */
export const DEFAULT_EDGE_COUNT = 2;
/** Edge root disk: nginx and a generator need little. */
export const EDGE_ROOT_GIB = 20;

export interface ResolvedEdge {
  /** At least 1. */
  readonly count: number;
  readonly size: string;
  readonly domain?: string;
  /** Jenkins users and webhooks; the admin CIDRs are always allowed too. */
  readonly cidrs: readonly string[];
}
