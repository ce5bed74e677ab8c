import { parseIpv4Cidr } from './cidr';
import { messages } from './messages';
import { isValidAttributeName, isValidAttributeValue, isValidMesosRole } from './mesos-syntax';
import {
  characterCount,
  disallowedTagCharacters,
  FORBIDDEN_CLUSTER_NAME_PREFIXES,
  isDnsSafe,
  MAX_CLUSTER_NAME_LENGTH,
  MAX_POOL_NAME_LENGTH,
  MAX_TAG_KEY_LENGTH,
  MAX_TAG_VALUE_LENGTH,
  MAX_USER_TAGS,
  RESERVED_POOL_NAMES,
  RESERVED_TAG_KEYS,
  ZONE_NAME,
} from './names';
import {
  agentCapacityPerZone,
  MAX_NETWORK_PREFIX,
  MAX_QUORUM_SERVERS_PER_ZONE_PER_ROLE,
  MIN_NETWORK_PREFIX,
} from './network-layout';
import { DEFAULT_NETWORK_CIDR, DEFAULT_QUORUM_COUNT } from './defaults';
import { joinPath, Problem } from './problems';
import { ClusterSpec, PoolSpec } from './spec';

/**
 * Checks what the JSON Schema cannot: odd quorums, CIDR math, Mesos syntax, zones, AWS tag and
 * name rules, per-cloud keys.
 * Runs on input that may also have failed the schema, so every rule guards the types it reads;
 * a value of the wrong type is the schema's to report.
 */
export function validateCluster(spec: ClusterSpec): Problem[] {
  return [
    ...validateName(spec),
    ...validateQuorums(spec),
    ...validateNetwork(spec),
    ...validateZones(spec),
    ...validatePools(spec),
    ...validateTags(spec),
    ...validateCloudSettings(spec),
  ];
}

function validateName(spec: ClusterSpec): Problem[] {
  const name = spec.name;
  if (typeof name !== 'string') return [];
  if (!isDnsSafe(name, MAX_CLUSTER_NAME_LENGTH)) return [{ path: 'name', message: messages.notDnsSafe(name, MAX_CLUSTER_NAME_LENGTH) }];
  return FORBIDDEN_CLUSTER_NAME_PREFIXES.filter(({ prefix }) => name.startsWith(prefix)).map(({ prefix, why }) => ({
    path: 'name',
    message: messages.forbiddenNamePrefix(name, prefix, why),
  }));
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

/** Zones become parts of resource names; on AWS they must lie in the region. */
function validateZones(spec: ClusterSpec): Problem[] {
  const zones: unknown = spec.network?.zones;
  if (!Array.isArray(zones)) return [];
  const region = spec.cloud === 'aws' && typeof spec.aws?.region === 'string' ? spec.aws.region : undefined;
  return zones.flatMap((zone: unknown, i) => {
    if (typeof zone !== 'string' || zone === '') return [];
    const path = joinPath('network', 'zones', i);
    if (!ZONE_NAME.test(zone)) return [{ path, message: messages.invalidZone(zone) }];
    if (region !== undefined && !(zone.startsWith(region) && zone.length > region.length)) {
      return [{ path, message: messages.zoneOutsideRegion(zone, region) }];
    }
    return [];
  });
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
    } else if (parsed.prefix < MIN_NETWORK_PREFIX || parsed.prefix > MAX_NETWORK_PREFIX) {
      problems.push({ path: 'network.cidr', message: messages.networkPrefix(cidr, MIN_NETWORK_PREFIX, MAX_NETWORK_PREFIX) });
    } else if (zones > 0) {
      const perZone = agentsPerZone(spec.pools, zones);
      const capacity = agentCapacityPerZone(parsed);
      if (perZone > capacity) {
        problems.push({ path: 'network.cidr', message: messages.networkTooSmall(cidr, perZone, capacity) });
      }
    }
  }
  (Array.isArray(network.adminCidrs) ? network.adminCidrs : []).forEach((admin, i) => {
    if (typeof admin !== 'string') return;
    const parsed = parseIpv4Cidr(admin);
    const path = joinPath('network', 'adminCidrs', i);
    if (typeof parsed === 'string') problems.push({ path, message: messages.invalidCidr(admin, parsed) });
    else if (parsed.prefix === 0) problems.push({ path, message: messages.adminCidrOpen(admin) });
  });
  return problems;
}

/** Agents are spread round-robin, so the fullest zone holds ceil(count / zones) of each pool. */
function agentsPerZone(pools: ClusterSpec['pools'], zones: number): number {
  return Object.values(pools ?? {}).reduce((sum, pool) => {
    const count = pool?.count;
    return Number.isInteger(count) && count > 0 ? sum + Math.ceil(count / zones) : sum;
  }, 0);
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
  problems.push(...validateAttributes(name, pool.attributes));
  const mountPath = pool.volume?.mountPath;
  if (typeof mountPath === 'string' && !isDataMountPath(mountPath)) {
    problems.push({ path: at('volume', 'mountPath'), message: messages.mountPath(mountPath) });
  }
  return problems;
}

function validateAttributes(pool: string, attributes: PoolSpec['attributes']): Problem[] {
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) return [];
  return Object.entries(attributes).flatMap(([key, value]) => {
    const path = joinPath('pools', pool, 'attributes', key);
    if (!isValidAttributeName(key)) return [{ path, message: messages.invalidAttributeName(key) }];
    if (key === 'pool' && value !== pool) return [{ path, message: messages.poolAttributeOverride(value, pool) }];
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

function validateCloudSettings(spec: ClusterSpec): Problem[] {
  const problems: Problem[] = [];
  if (spec.cloud === 'aws') {
    if (spec.aws === undefined) problems.push({ path: 'aws', message: messages.requiredFor('aws', 'at least aws.region') });
    const zones = spec.network?.zones;
    if (Array.isArray(zones) && zones.length === 1) {
      problems.push({ path: 'network.zones', message: messages.awsZonesForLoadBalancer(zones.length) });
    }
  } else if (spec.cloud === 'openstack') {
    problems.push({ path: 'cloud', message: messages.cloudNotYetSupported(spec.cloud, ['aws']) });
    if (spec.aws !== undefined) problems.push({ path: 'aws', message: messages.unexpectedFor('aws') });
  }
  return problems;
}

/** AWS tag rules; the stack adds its own tags, so it reserves their keys and part of the limit. */
function validateTags(spec: ClusterSpec): Problem[] {
  const tags: unknown = spec.tags;
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) return [];
  const entries = Object.entries(tags);
  const problems: Problem[] = entries.flatMap(([key, value]) =>
    [tagKeyProblem(key), typeof value === 'string' ? tagValueProblem(value) : undefined]
      .filter((message) => message !== undefined)
      .map((message) => ({ path: joinPath('tags', key), message })),
  );
  if (entries.length > MAX_USER_TAGS) problems.unshift({ path: 'tags', message: messages.tooManyTags(entries.length, MAX_USER_TAGS, RESERVED_TAG_KEYS) });
  return problems;
}

function tagKeyProblem(key: string): string | undefined {
  const length = characterCount(key);
  const bad = disallowedTagCharacters(key);
  if (length < 1 || length > MAX_TAG_KEY_LENGTH) return messages.tagLength('key', key, length, `1-${MAX_TAG_KEY_LENGTH}`);
  if (bad.length > 0) return messages.tagCharacters('key', key, bad);
  if (key.toLowerCase().startsWith('aws:')) return messages.tagAwsPrefix(key);
  if ((RESERVED_TAG_KEYS as readonly string[]).includes(key)) return messages.reservedTagKey(key, RESERVED_TAG_KEYS);
  return undefined;
}

function tagValueProblem(value: string): string | undefined {
  const length = characterCount(value);
  const bad = disallowedTagCharacters(value);
  if (length > MAX_TAG_VALUE_LENGTH) return messages.tagLength('value', value, length, `0-${MAX_TAG_VALUE_LENGTH}`);
  if (bad.length > 0) return messages.tagCharacters('value', value, bad);
  return undefined;
}
