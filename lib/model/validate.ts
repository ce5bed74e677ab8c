import { coveredAddressCount, Ipv4Network, nonRoutableOverlaps, nonRoutableRangeOf, parseIpv4Cidr } from './cidr';
import { messages } from './messages';
import { isValidAttributeName, isValidAttributeValue, isValidMesosRole } from './mesos-syntax';
import { CloudRules, CloudRulesByCloud, edgeCountOf, SizedRole } from './cloud-rules';
import { isDnsSafe, MAX_CLUSTER_NAME_LENGTH, MAX_POOL_NAME_LENGTH, RESERVED_POOL_NAMES, ZONE_NAME } from './names';
import {
  agentCapacityPerZone,
  MAX_VOLUME_POOLS,
  volumeAgentSlotsPerZone,
  MAX_NETWORK_PREFIX,
  MAX_QUORUM_SERVERS_PER_ZONE_PER_ROLE,
  MIN_NETWORK_PREFIX,
} from './network-layout';
import { DEFAULT_NETWORK_CIDR, DEFAULT_QUORUM_COUNT } from './defaults';
import { validateBackend } from './backend-rules';
import { joinPath, Problem } from './problems';
import { isOpenSshPublicKey, OPENSSH_KEY_TYPES } from './ssh-public-key';
import { AutoscaleSpec, CLOUDS, ClusterSpec, PoolSpec } from './spec';
import { VOLUME_ATTRIBUTE } from './volume-agents';

/**
 * Checks what the JSON Schema cannot: odd quorums, CIDR math, Mesos syntax, zone names, then the
 * rules of the file's cloud (`clouds`).
 * Runs on input that may also have failed the schema, so every rule guards the types it reads;
 * a value of the wrong type is the schema's to report.
 */
export function validateCluster(spec: ClusterSpec, clouds: CloudRulesByCloud): Problem[] {
  return [
    ...validateName(spec),
    ...validateQuorums(spec),
    ...validateNetwork(spec),
    ...validateZones(spec),
    ...validatePools(spec),
    ...validateSshKey(spec),
    ...validateTls(spec),
    ...validateBackend(spec),
    ...validateCloud(spec, clouds),
  ];
}

function validateName(spec: ClusterSpec): Problem[] {
  const name = spec.name;
  if (typeof name !== 'string' || isDnsSafe(name, MAX_CLUSTER_NAME_LENGTH)) return [];
  return [{ path: 'name', message: messages.notDnsSafe(name, MAX_CLUSTER_NAME_LENGTH) }];
}

const QUORUM_KEYS = ['zookeeper', 'masters', 'marathon'] as const;
type QuorumKey = (typeof QUORUM_KEYS)[number];
const ODD_QUORUMS: ReadonlySet<QuorumKey> = new Set(['zookeeper', 'masters']);
/** What colocated control servers take from `zookeeper`; the same keys elsewhere would be ignored. */
const COLOCATED_FROM_ZOOKEEPER = ['size', 'rootVolumeGiB'] as const;

/** The count of a quorum, or undefined when it is of the wrong type (the schema's to report). */
function quorumCount(spec: ClusterSpec, key: QuorumKey): number | undefined {
  const count: unknown = spec[key]?.count ?? DEFAULT_QUORUM_COUNT;
  return Number.isInteger(count) && (count as number) >= 1 ? (count as number) : undefined;
}

function validateQuorums(spec: ClusterSpec): Problem[] {
  const zones = Array.isArray(spec.network?.zones) ? spec.network.zones.length : 0;
  return [...QUORUM_KEYS.flatMap((key) => validateQuorumCount(key, quorumCount(spec, key), zones)), ...validateColocate(spec)];
}

/** Parity and per-zone spread of one quorum. */
function validateQuorumCount(key: QuorumKey, count: number | undefined, zones: number): Problem[] {
  if (count === undefined) return [];
  const path = joinPath(key, 'count');
  const problems: Problem[] = [];
  if (ODD_QUORUMS.has(key) && count % 2 === 0) problems.push({ path, message: messages.evenQuorum(count) });
  if (zones > 0 && Math.ceil(count / zones) > MAX_QUORUM_SERVERS_PER_ZONE_PER_ROLE) {
    problems.push({ path, message: messages.tooManyPerZone(key, count, zones, MAX_QUORUM_SERVERS_PER_ZONE_PER_ROLE) });
  }
  return problems;
}

/** Colocated quorums share servers: equal counts, and sizes and disks set under zookeeper only. */
function validateColocate(spec: ClusterSpec): Problem[] {
  if (spec.colocate !== true) return [];
  const problems: Problem[] = [];
  const counts = QUORUM_KEYS.map((key) => quorumCount(spec, key));
  if (!counts.includes(undefined) && new Set(counts).size > 1) {
    const listed = QUORUM_KEYS.map((key, i) => `${key} ${counts[i]}`).join(', ');
    problems.push({ path: 'colocate', message: messages.colocateCounts(listed) });
  }
  for (const key of ['masters', 'marathon'] as const) {
    for (const setting of COLOCATED_FROM_ZOOKEEPER) {
      const value: unknown = spec[key]?.[setting];
      if (value !== undefined) problems.push({ path: joinPath(key, setting), message: messages.colocateIgnored(value, setting) });
    }
  }
  return problems;
}

/** Zones become parts of resource names; the cloud's rules check they exist where it says. */
function validateZones(spec: ClusterSpec): Problem[] {
  const zones: unknown = spec.network?.zones;
  if (!Array.isArray(zones)) return [];
  return zones.flatMap((zone: unknown, i) =>
    typeof zone === 'string' && zone !== '' && !ZONE_NAME.test(zone) ? [{ path: joinPath('network', 'zones', i), message: messages.invalidZone(zone) }] : [],
  );
}

function validateNetwork(spec: ClusterSpec): Problem[] {
  const network = spec.network;
  if (typeof network !== 'object' || network === null) return [];
  const problems: Problem[] = [];
  const cidr = network.cidr ?? DEFAULT_NETWORK_CIDR;
  const zones = Array.isArray(network.zones) ? network.zones.length : 0;
  if (typeof cidr === 'string') {
    const parsed = parseIpv4Cidr(cidr);
    if (typeof parsed === 'string') {
      problems.push({ path: 'network.cidr', message: messages.invalidCidr(cidr, parsed) });
    } else if (nonRoutableOverlaps(parsed).length > 0) {
      problems.push({ path: 'network.cidr', message: messages.nonRoutableNetwork(cidr, nonRoutableOverlaps(parsed)) });
    } else if (parsed.prefix < MIN_NETWORK_PREFIX || parsed.prefix > MAX_NETWORK_PREFIX) {
      problems.push({ path: 'network.cidr', message: messages.networkPrefix(cidr, MIN_NETWORK_PREFIX, MAX_NETWORK_PREFIX) });
    } else if (zones > 0) {
      const perZone = agentsPerZone(spec.pools, zones);
      const capacity = agentCapacityPerZone(parsed);
      if (perZone > capacity) {
        problems.push({ path: 'network.cidr', message: messages.networkTooSmall(cidr, perZone, capacity) });
      }
      problems.push(...validateVolumeAgentAddresses(spec.pools, zones, volumeAgentSlotsPerZone(parsed), cidr));
    }
  }
  problems.push(...validateAdminCidrs(network.adminCidrs));
  problems.push(...validateEdgeCidrs(spec.edge?.cidrs));
  return problems;
}

/** Jenkins users and webhooks: routable networks, each not the whole internet. */
function validateEdgeCidrs(cidrs: unknown): Problem[] {
  if (!Array.isArray(cidrs)) return [];
  return cidrs.flatMap((cidr: unknown, i): Problem[] => {
    if (typeof cidr !== 'string') return [];
    const path = joinPath('edge', 'cidrs', i);
    const parsed = parseIpv4Cidr(cidr);
    if (typeof parsed === 'string') return [{ path, message: messages.invalidCidr(cidr, parsed) }];
    if (nonRoutableOverlaps(parsed).length > 0) return [{ path, message: messages.nonRoutableNetwork(cidr, nonRoutableOverlaps(parsed)) }];
    if (parsed.prefix === 0) return [{ path, message: messages.adminCidrOpen(cidr) }];
    return [];
  });
}

/** Admin sources: real networks, and not the whole internet, neither one by one nor together. */
function validateAdminCidrs(adminCidrs: unknown): Problem[] {
  if (!Array.isArray(adminCidrs)) return [];
  const problems: Problem[] = [];
  const networks: Ipv4Network[] = [];
  adminCidrs.forEach((admin: unknown, i) => {
    if (typeof admin !== 'string') return;
    const parsed = parseIpv4Cidr(admin);
    const path = joinPath('network', 'adminCidrs', i);
    const reserved = typeof parsed === 'string' ? undefined : nonRoutableRangeOf(parsed);
    if (typeof parsed === 'string') problems.push({ path, message: messages.invalidCidr(admin, parsed) });
    else if (parsed.prefix === 0) problems.push({ path, message: messages.adminCidrOpen(admin) });
    else if (reserved !== undefined) problems.push({ path, message: messages.nonRoutableNetwork(admin, [reserved]) });
    else networks.push(parsed);
  });
  if (problems.length === 0 && networks.length > 1 && coveredAddressCount(networks) === 2 ** 32) {
    problems.push({ path: 'network.adminCidrs', message: messages.adminCidrsCoverInternet(adminCidrs as string[]) });
  }
  return problems;
}

/** Agents are spread round-robin, so the fullest zone holds ceil(count / zones) of each pool. */
/** Volume-backed agents take fixed addresses: at most MAX_VOLUME_POOLS pools, each within its slice. */
function validateVolumeAgentAddresses(pools: ClusterSpec['pools'], zones: number, slots: number, cidr: string): Problem[] {
  const volumePools = Object.entries(pools ?? {}).filter(([, pool]) => typeof pool?.volume === 'object' && pool.volume !== null);
  return volumePools.flatMap(([name, pool], slot): Problem[] => {
    if (slot >= MAX_VOLUME_POOLS) return [{ path: joinPath('pools', name, 'volume'), message: messages.tooManyVolumePools(MAX_VOLUME_POOLS) }];
    const count = pool.count;
    if (Number.isInteger(count) && Math.ceil(count / zones) > slots) {
      return [{ path: joinPath('pools', name, 'count'), message: messages.tooManyVolumeAgents(count, zones, slots, cidr) }];
    }
    return [];
  });
}

/** An elastic pool may grow to its max, so its subnets must hold that many. */
function agentsPerZone(pools: ClusterSpec['pools'], zones: number): number {
  return Object.values(pools ?? {}).reduce((sum, pool) => {
    const max: unknown = pool?.autoscale?.max;
    const count = Number.isInteger(max) ? Math.max(max as number, pool.count) : pool?.count;
    return Number.isInteger(count) && count > 0 ? sum + Math.ceil(count / zones) : sum;
  }, 0);
}

function validateSshKey(spec: ClusterSpec): Problem[] {
  const publicKey: unknown = spec.sshKey?.publicKey;
  if (typeof publicKey !== 'string' || publicKey === '' || isOpenSshPublicKey(publicKey.trimEnd())) return [];
  return [{ path: 'sshKey.publicKey', message: messages.sshPublicKey(publicKey, OPENSSH_KEY_TYPES) }];
}

/** Marathon's certificate and the CA its clients check exist only with tls.mesos (lib/model/tls.ts). */
function validateTls(spec: ClusterSpec): Problem[] {
  if (spec.tls?.marathon !== true || spec.tls.mesos === true) return [];
  return [{ path: 'tls.marathon', message: messages.tlsMarathonWithoutMesos() }];
}

function validatePools(spec: ClusterSpec): Problem[] {
  if (typeof spec.pools !== 'object' || spec.pools === null || Array.isArray(spec.pools)) return [];
  return Object.entries(spec.pools).flatMap(([name, pool]) => validatePool(name, pool));
}

/** Trees a data volume must not be mounted on or inside: the OS's, Mesos' and Docker's own. */
const SYSTEM_TREES = ['/bin', '/boot', '/dev', '/etc', '/lib', '/lib64', '/proc', '/run', '/sbin', '/sys', '/tmp', '/usr', '/var/lib/mesos', '/var/lib/docker', '/var/log'];
/** Folders a volume must not hide, though it may be mounted below them. */
const SYSTEM_FOLDERS = ['/', '/home', '/mnt', '/opt', '/root', '/srv', '/var', '/var/lib'];

function validatePool(name: string, pool: PoolSpec): Problem[] {
  const problems: Problem[] = [];
  const at = (...segments: (string | number)[]) => joinPath('pools', name, ...segments);
  if (!isDnsSafe(name, MAX_POOL_NAME_LENGTH)) {
    problems.push({ path: at(), message: messages.notDnsSafe(name, MAX_POOL_NAME_LENGTH) });
  } else if ((RESERVED_POOL_NAMES as readonly string[]).includes(name)) {
    problems.push({ path: at(), message: messages.reservedPoolName(name, RESERVED_POOL_NAMES) });
  }
  if (typeof pool !== 'object' || pool === null) return problems;
  if (typeof pool.mesosRole === 'string' && !isValidMesosRole(pool.mesosRole)) {
    problems.push({ path: at('mesosRole'), message: messages.invalidMesosRole(pool.mesosRole) });
  }
  problems.push(...validateAttributes(name, pool.attributes, typeof pool.volume === 'object' && pool.volume !== null));
  const mountPath = pool.volume?.mountPath;
  if (typeof mountPath === 'string' && !isDataMountPath(mountPath)) {
    problems.push({ path: at('volume', 'mountPath'), message: messages.mountPath(mountPath) });
  }
  problems.push(...validateAutoscale(name, pool));
  return problems;
}

/** An elastic pool: bounds in order, its initial count within them, and no data volume. */
function validateAutoscale(name: string, pool: PoolSpec): Problem[] {
  const autoscale: unknown = pool.autoscale;
  if (typeof autoscale !== 'object' || autoscale === null) return []; // absent, or the schema's to report
  if (typeof pool.volume === 'object' && pool.volume !== null) return [{ path: joinPath('pools', name, 'autoscale'), message: messages.autoscaleWithVolume() }];
  const { min, max } = autoscale as Record<keyof AutoscaleSpec, unknown>;
  if (!isWhole(min) || !isWhole(max)) return [];
  if (min > max) return [{ path: joinPath('pools', name, 'autoscale', 'min'), message: messages.autoscaleBounds(min, max) }];
  const count: unknown = pool.count;
  if (isWhole(count) && (count < min || count > max)) {
    return [{ path: joinPath('pools', name, 'count'), message: messages.countOutsideAutoscale(count, min, max) }];
  }
  return [];
}

function isWhole(value: unknown): value is number {
  return Number.isInteger(value);
}

function validateAttributes(pool: string, attributes: PoolSpec['attributes'], hasVolume: boolean): Problem[] {
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) return [];
  return Object.entries(attributes).flatMap(([key, value]) => {
    const path = joinPath('pools', pool, 'attributes', key);
    if (!isValidAttributeName(key)) return [{ path, message: messages.invalidAttributeName(key) }];
    if (key === 'pool' && value !== pool) return [{ path, message: messages.poolAttributeOverride(value, pool) }];
    if (key === VOLUME_ATTRIBUTE && hasVolume) return [{ path, message: messages.volumeAttributeReserved(VOLUME_ATTRIBUTE) }];
    // A non-finite number or another type is the schema's to report.
    if ((typeof value === 'string' || Number.isFinite(value)) && !isValidAttributeValue(value)) {
      return [{ path, message: messages.invalidAttributeValue(value) }];
    }
    return [];
  });
}

function isDataMountPath(path: string): boolean {
  if (!/^(\/[a-zA-Z0-9._-]+)+$/.test(path) || path.split('/').some((part) => part === '.' || part === '..')) return false;
  return !SYSTEM_FOLDERS.includes(path) && !SYSTEM_TREES.some((tree) => path === tree || path.startsWith(`${tree}/`));
}

/**
 * The cloud's own rules, when its stack is built; a cloud without rules is refused. A section
 * named after another cloud (`aws:` on openstack) would be ignored, so it is refused too.
 */
function validateCloud(spec: ClusterSpec, clouds: CloudRulesByCloud): Problem[] {
  if (!(CLOUDS as readonly unknown[]).includes(spec.cloud)) return []; // the schema's to report
  const problems: Problem[] = CLOUDS.filter((other) => other !== spec.cloud && (spec as unknown as Record<string, unknown>)[other] !== undefined).map(
    (other) => ({ path: other, message: messages.unexpectedFor(other) }),
  );
  const rules = clouds[spec.cloud];
  if (rules === undefined) {
    problems.unshift({ path: 'cloud', message: messages.cloudNotYetSupported(spec.cloud, Object.keys(clouds)) });
    return problems;
  }
  return [...rules.validate(spec), ...validateSizes(spec, rules), ...problems];
}

/** Roles the cloud has no default size for must be sized in the file. */
function validateSizes(spec: ClusterSpec, rules: CloudRules): Problem[] {
  const missing = (role: SizedRole, given: unknown, path: string): Problem[] =>
    given === undefined && rules.defaultSizes[role] === undefined ? [{ path, message: messages.sizeRequired(rules.cloud) }] : [];
  const quorum = (key: QuorumKey, role: SizedRole) => missing(spec.colocate === true ? 'control' : role, spec[key]?.size, joinPath(key, 'size'));
  const pools = typeof spec.pools === 'object' && spec.pools !== null && !Array.isArray(spec.pools) ? Object.entries(spec.pools) : [];
  return [
    ...quorum('zookeeper', 'zookeeper'),
    ...(spec.colocate === true ? [] : [...quorum('masters', 'mesos-master'), ...quorum('marathon', 'marathon')]),
    ...missing('bastion', spec.bastion?.size, 'bastion.size'),
    ...(edgeCountOf(spec, rules) !== 0 ? missing('edge', spec.edge?.size, 'edge.size') : []),
    ...pools.flatMap(([name, pool]) => (typeof pool === 'object' && pool !== null ? missing('mesos-agent', pool.size, joinPath('pools', name, 'size')) : [])),
  ];
}
