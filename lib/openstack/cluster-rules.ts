import { parseIpv4Cidr } from '../model/cidr';
import { CloudRules, ClusterSpec, DEFAULT_EDGE_COUNT, edgeCountOf, joinPath, Problem } from '../model/index';
import { openstackMessages } from './messages';
import { STACK_METADATA_KEYS } from './metadata';

/** Quorum server groups avoid sharing a hypervisor, but are scheduled anyway when too few. */
export const DEFAULT_ANTI_AFFINITY = 'soft';
/** Not every cloud runs Octavia. */
export const DEFAULT_LOAD_BALANCER_ENABLED = false;

/** Nova's limits on server metadata (API: 255-character keys and values; default quota 128 items). */
const MAX_METADATA_LENGTH = 255;
const MAX_METADATA_ITEMS = 128;

/**
 * OpenStack's own rules for a cluster file. Flavors (the roles' `size`) have no default: no two
 * clouds share flavor names, so the model asks for every one. No cdktf here.
 */
export const openstackClusterRules: CloudRules = {
  cloud: 'openstack',
  validate: (spec) => [
    ...validateSection(spec),
    ...validateNames(spec),
    ...validateVolumeZones(spec),
    ...validateNameservers(spec),
    ...validateMetadata(spec),
    ...validateEdge(spec),
    ...validateBackups(spec),
    ...validateAutoscale(spec),
  ],
  defaultSizes: {},
  // Without Octavia nothing reaches an edge: a cluster has one only with the load balancer.
  defaultEdgeCount: (spec) => (loadBalancerEnabled(spec) ? DEFAULT_EDGE_COUNT : 0),
  resolveSettings: (spec) => {
    const section = spec.openstack;
    if (section === undefined) throw new Error(`cluster ${spec.name} has no openstack section; validation should have caught this`);
    const zones = spec.network.zones;
    return {
      cloud: 'openstack',
      openstack: {
        externalNetwork: section.externalNetwork,
        floatingIpPool: section.floatingIpPool,
        volumeZones: Object.fromEntries(zones.map((zone, i) => [zone, section.volumeZones?.[i] ?? zone])),
        dnsNameservers: section.dnsNameservers ?? [],
        volumeType: section.volumeType,
        antiAffinity: section.antiAffinity ?? DEFAULT_ANTI_AFFINITY,
        loadBalancer: {
          enabled: section.loadBalancer?.enabled ?? DEFAULT_LOAD_BALANCER_ENABLED,
          provider: section.loadBalancer?.provider,
          tlsContainerRef: section.loadBalancer?.tlsContainerRef,
        },
        region: section.region,
      },
    };
  },
};

function validateSection(spec: ClusterSpec): Problem[] {
  return spec.openstack === undefined ? [{ path: 'openstack', message: openstackMessages.requiredFor() }] : [];
}

/** What OpenStack accepts as a name: up to 255 characters, none of them control characters. */
const OPENSTACK_NAME = /^(?!\s)[^\p{Cc}]{1,255}(?<!\s)$/u;

/**
 * The names a cluster file hands to OpenStack (image, flavors, key pair, networks, zones, types).
 * Clouds name these freely, so only what no cloud accepts is refused; a `${` is carried to the
 * cloud literally by the stack (escapeTemplateStrings).
 */
function validateNames(spec: ClusterSpec): Problem[] {
  const section = spec.openstack;
  const pools = typeof spec.pools === 'object' && spec.pools !== null && !Array.isArray(spec.pools) ? Object.entries(spec.pools) : [];
  const volumeZones: unknown = section?.volumeZones;
  const checks: [string, unknown, string][] = [
    ['image', spec.image, 'an image name or id'],
    ['sshKey.name', spec.sshKey?.name, 'a key pair name'],
    ...(['zookeeper', 'masters', 'marathon', 'bastion'] as const).map((key): [string, unknown, string] => [joinPath(key, 'size'), spec[key]?.size, 'a flavor name']),
    ...pools.map(([name, pool]): [string, unknown, string] => [joinPath('pools', name, 'size'), (pool as { size?: unknown } | null)?.size, 'a flavor name']),
    ['openstack.externalNetwork', section?.externalNetwork, 'a network name or id'],
    ['openstack.floatingIpPool', section?.floatingIpPool, 'a floating-IP pool name'],
    ['openstack.volumeType', section?.volumeType, 'a volume type name'],
    ['openstack.loadBalancer.provider', section?.loadBalancer?.provider, 'an Octavia provider name'],
    ['openstack.region', section?.region, 'a region name'],
    ...(Array.isArray(volumeZones) ? volumeZones.map((zone: unknown, i): [string, unknown, string] => [joinPath('openstack', 'volumeZones', i), zone, 'a Cinder zone name']) : []),
  ];
  // A value of another type, or an empty one, is the schema's to report.
  return checks.flatMap(([path, value, what]) =>
    typeof value === 'string' && value !== '' && !OPENSTACK_NAME.test(value) ? [{ path, message: openstackMessages.openstackName(value, what) }] : [],
  );
}

/** One Cinder zone per Nova zone, matched by position. */
function validateVolumeZones(spec: ClusterSpec): Problem[] {
  const given: unknown = spec.openstack?.volumeZones;
  const zones: unknown = spec.network?.zones;
  if (!Array.isArray(given) || !Array.isArray(zones) || given.length === zones.length) return [];
  return [{ path: 'openstack.volumeZones', message: openstackMessages.volumeZoneCount(given.length, zones.length) }];
}

function validateNameservers(spec: ClusterSpec): Problem[] {
  const servers: unknown = spec.openstack?.dnsNameservers;
  if (!Array.isArray(servers)) return [];
  // A value of another type is the schema's to report.
  return servers.flatMap((server: unknown, i) =>
    typeof server === 'string' && typeof parseIpv4Cidr(`${server}/32`) === 'string'
      ? [{ path: joinPath('openstack', 'dnsNameservers', i), message: openstackMessages.nameserver(server) }]
      : [],
  );
}

/** The file's tags become server metadata: Nova's lengths, and not the stack's own keys. */
function validateMetadata(spec: ClusterSpec): Problem[] {
  const tags: unknown = spec.tags;
  if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) return [];
  const entries = Object.entries(tags);
  const problems: Problem[] = entries.flatMap(([key, value]) => {
    const path = joinPath('tags', key);
    const found: Problem[] = [];
    if ((STACK_METADATA_KEYS as readonly string[]).includes(key)) found.push({ path, message: openstackMessages.reservedMetadataKey(key, STACK_METADATA_KEYS) });
    else if ([...key].length > MAX_METADATA_LENGTH) found.push({ path, message: openstackMessages.metadataLength('key', key, [...key].length) });
    if (typeof value === 'string' && [...value].length > MAX_METADATA_LENGTH) {
      found.push({ path, message: openstackMessages.metadataLength('value', value, [...value].length) });
    }
    return found;
  });
  const max = MAX_METADATA_ITEMS - STACK_METADATA_KEYS.length;
  if (entries.length > max) problems.unshift({ path: 'tags', message: openstackMessages.tooManyMetadataItems(entries.length, max) });
  return problems;
}

function loadBalancerEnabled(spec: ClusterSpec): boolean {
  return (spec.openstack?.loadBalancer?.enabled ?? DEFAULT_LOAD_BALANCER_ENABLED) === true;
}

/**
 * Every listener of the load balancer that carries credentials is HTTPS (the UIs' and the
 * edge's): the load balancer needs a certificate. The edge needs the load balancer.
 */
function validateEdge(spec: ClusterSpec): Problem[] {
  const certificate =
    loadBalancerEnabled(spec) && spec.openstack?.loadBalancer?.tlsContainerRef === undefined
      ? [{ path: 'openstack.loadBalancer.tlsContainerRef', message: openstackMessages.loadBalancerNeedsCertificate() }]
      : [];
  const given: unknown = spec.edge?.count;
  if (given !== undefined && typeof given !== 'number') return certificate; // the schema's to report
  const count = edgeCountOf(spec, openstackClusterRules);
  if (count > 0 && !loadBalancerEnabled(spec)) return [{ path: 'edge.count', message: openstackMessages.edgeNeedsLoadBalancer(count) }];
  return certificate;
}

/**
 * The provider has no snapshot schedule (nor a snapshot or backup resource): a schedule in the
 * file would be a promise nobody keeps. Snapshots are the operator's part on OpenStack
 * (docs/openstack.md#backups-on-openstack).
 */
function validateBackups(spec: ClusterSpec): Problem[] {
  const pools: unknown = spec.pools;
  if (typeof pools !== 'object' || pools === null || Array.isArray(pools)) return [];
  return Object.entries(pools).flatMap(([name, pool]) =>
    (pool as { volume?: { backup?: unknown } } | null)?.volume?.backup !== undefined
      ? [{ path: joinPath('pools', name, 'volume', 'backup'), message: openstackMessages.noSnapshotSchedule() }]
      : [],
  );
}

/**
 * Agents here are named servers, not a group: nothing would add or remove them, so bounds in
 * the file would be a promise nobody keeps. The cloud's own autoscaling (Heat autoscaling groups
 * on Aodh alarms, or Senlin) is an optional service many clouds do not run.
 */
function validateAutoscale(spec: ClusterSpec): Problem[] {
  const pools: unknown = spec.pools;
  if (typeof pools !== 'object' || pools === null || Array.isArray(pools)) return [];
  return Object.entries(pools).flatMap(([name, pool]) =>
    (pool as { autoscale?: unknown } | null)?.autoscale !== undefined
      ? [{ path: joinPath('pools', name, 'autoscale'), message: openstackMessages.noAutoscale() }]
      : [],
  );
}
