import { parseIpv4Cidr } from './cidr';
import { messages } from './messages';
import { isValidAttributeName, isValidAttributeValue, isValidMesosRole } from './mesos-syntax';
import { isDnsSafe, MAX_CLUSTER_NAME_LENGTH, MAX_POOL_NAME_LENGTH, RESERVED_POOL_NAMES } from './names';
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
 * Checks what the JSON Schema cannot: odd quorums, CIDR math, Mesos syntax, per-cloud keys.
 * Runs on input that may also have failed the schema, so every rule guards the types it reads;
 * a value of the wrong type is the schema's to report.
 */
export function validateCluster(spec: ClusterSpec): Problem[] {
  return [
    ...validateName(spec),
    ...validateQuorums(spec),
    ...validateNetwork(spec),
    ...validatePools(spec),
    ...validateCloudSettings(spec),
  ];
}

function validateName(spec: ClusterSpec): Problem[] {
  if (typeof spec.name !== 'string' || isDnsSafe(spec.name, MAX_CLUSTER_NAME_LENGTH)) return [];
  return [{ path: 'name', message: messages.notDnsSafe(spec.name, MAX_CLUSTER_NAME_LENGTH) }];
}

const QUORUM_KEYS = ['zookeeper', 'masters', 'marathon'] as const;
const ODD_QUORUMS: ReadonlySet<string> = new Set(['zookeeper', 'masters']);

function validateQuorums(spec: ClusterSpec): Problem[] {
  const problems: Problem[] = [];
  const zones = Array.isArray(spec.network?.zones) ? spec.network.zones.length : 0;
  const counts = QUORUM_KEYS.map((key) => {
    const count = spec[key]?.count ?? DEFAULT_QUORUM_COUNT;
    const usable = Number.isInteger(count) && count >= 1;
    if (usable && ODD_QUORUMS.has(key) && count % 2 === 0) {
      problems.push({ path: joinPath(key, 'count'), message: messages.evenQuorum(count) });
    }
    if (usable && zones > 0 && Math.ceil(count / zones) > MAX_QUORUM_SERVERS_PER_ZONE_PER_ROLE) {
      problems.push({
        path: joinPath(key, 'count'),
        message: messages.tooManyPerZone(key, count, zones, MAX_QUORUM_SERVERS_PER_ZONE_PER_ROLE),
      });
    }
    return `${key} ${count}`;
  });
  const values = QUORUM_KEYS.map((key) => spec[key]?.count ?? DEFAULT_QUORUM_COUNT);
  if (spec.colocate === true && new Set(values).size > 1) {
    problems.push({ path: 'colocate', message: messages.colocateCounts(counts.join(', ')) });
  }
  return problems;
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
  if (typeof pool.attributes === 'object' && pool.attributes !== null && !Array.isArray(pool.attributes)) {
    for (const [key, value] of Object.entries(pool.attributes)) {
      if (!isValidAttributeName(key)) {
        problems.push({ path: at('attributes', key), message: messages.invalidAttributeName(key) });
      } else if (key === 'pool' && value !== name) {
        problems.push({ path: at('attributes', key), message: messages.poolAttributeOverride(value, name) });
      } else if ((typeof value === 'string' || typeof value === 'number') && !isValidAttributeValue(value)) {
        problems.push({ path: at('attributes', key), message: messages.invalidAttributeValue(value) });
      }
    }
  }
  const mountPath = pool.volume?.mountPath;
  if (typeof mountPath === 'string' && !isDataMountPath(mountPath)) {
    problems.push({ path: at('volume', 'mountPath'), message: messages.mountPath(mountPath) });
  }
  return problems;
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
