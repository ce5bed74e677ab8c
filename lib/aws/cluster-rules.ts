import { AWS_REGION_NAME } from '../model/backend-rules';
import { CloudRules, ClusterSpec, DEFAULT_EDGE_COUNT, firewallOn, isValidZoneName, joinPath, NatGatewayMode, Problem } from '../model/index';
import { awsAlarmTopicProblems, awsCertificateProblems } from './certificate-region';
import { awsMessages } from './messages';
import { validateTags } from './tag-rules';

/**
 * AWS's own rules for a cluster file: names AWS refuses, zones of the region, the load
 * balancer's two zones, tags, default sizes. No cdktf here: validation must not load it.
 */
export const awsClusterRules: CloudRules = {
  cloud: 'aws',
  validate: (spec) => [...validateAwsSection(spec), ...validateName(spec), ...validateAwsNames(spec), ...validateZones(spec), ...validateAdminCidrCount(spec), ...validateTags(spec), ...awsCertificateProblems(spec), ...awsAlarmTopicProblems(spec)],
  defaultSizes: {
    zookeeper: 't3.medium',
    'mesos-master': 'm5.large',
    marathon: 'm5.large',
    control: 'm5.xlarge',
    'mesos-agent': 'm5.xlarge',
    bastion: 't3.micro',
    edge: 't3.small',
  },
  defaultEdgeCount: () => DEFAULT_EDGE_COUNT,
  resolveSettings: (spec) => {
    const section = spec.aws;
    if (section === undefined) throw new Error(`cluster ${spec.name} has no aws section; validation should have caught this`);
    return {
      cloud: 'aws',
      aws: {
        region: section.region,
        rootDeviceName: section.rootDeviceName ?? DEFAULT_AWS_ROOT_DEVICE,
        natGateways: section.natGateways ?? DEFAULT_NAT_GATEWAYS,
        sessionManager: section.sessionManager ?? false,
        certificateArn: section.certificateArn,
        ...(section.alarmTopicArn !== undefined ? { alarmTopicArn: section.alarmTopicArn } : {}),
      },
    };
  },
};

export const DEFAULT_AWS_ROOT_DEVICE = '/dev/xvda';
/** One NAT gateway: small CI clusters rarely justify one per zone. */
export const DEFAULT_NAT_GATEWAYS: NatGatewayMode = 'single';

/** AWS refuses security group names starting `sg-` and load balancer names starting `internal-`. */
const FORBIDDEN_CLUSTER_NAME_PREFIXES = [
  { prefix: 'sg-', why: 'AWS refuses security group names starting with "sg-"' },
  { prefix: 'internal-', why: 'AWS refuses load balancer names starting with "internal-"' },
] as const;

function validateAwsSection(spec: ClusterSpec): Problem[] {
  return spec.aws === undefined ? [{ path: 'aws', message: awsMessages.requiredFor('at least aws.region') }] : [];
}

function validateName(spec: ClusterSpec): Problem[] {
  const name: unknown = spec.name;
  if (typeof name !== 'string') return [];
  return FORBIDDEN_CLUSTER_NAME_PREFIXES.filter(({ prefix }) => name.startsWith(prefix)).map(({ prefix, why }) => ({
    path: 'name',
    message: awsMessages.forbiddenNamePrefix(name, prefix, why),
  }));
}

/** An AWS zone is its region's name and a letter (`us-east-1a`), or a local zone (`us-east-1-bos-1a`). */
export function isZoneOfRegion(zone: string, region: string): boolean {
  if (!zone.startsWith(region)) return false;
  return /^([a-z]|-[a-z0-9]+(-[a-z0-9]+)*)$/.test(zone.slice(region.length));
}

/** Zones lie in the region; the application load balancer needs two of them. */
function validateZones(spec: ClusterSpec): Problem[] {
  const zones: unknown = spec.network?.zones;
  if (!Array.isArray(zones)) return [];
  const problems: Problem[] = [];
  if (zones.length === 1) problems.push({ path: 'network.zones', message: awsMessages.zonesForLoadBalancer(zones.length) });
  const region: unknown = spec.aws?.region;
  if (typeof region !== 'string' || !AWS_REGION_NAME.test(region)) return problems; // the region's own problem is reported
  zones.forEach((zone: unknown, i) => {
    // A zone of the wrong type or with bad characters is the schema's or the model's to report.
    if (typeof zone !== 'string' || !isValidZoneName(zone)) return;
    if (!isZoneOfRegion(zone, region)) problems.push({ path: joinPath('network', 'zones', i), message: awsMessages.zoneOutsideRegion(zone, region) });
  });
  return problems;
}

/**
 * The shapes of the AWS names a cluster file passes to Terraform, as AWS writes them. Anything
 * else (`ami-${file("/etc/hostname")}`) is refused here, before Terraform could evaluate it.
 */
const AWS_NAMES = {
  image: { pattern: /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/, what: 'an AMI id: ami- and 8 or 17 hex digits, e.g. ami-0123456789abcdef0' },
  size: { pattern: /^[a-z][a-z0-9-]*\.[a-z0-9][a-z0-9-]*$/, what: 'an EC2 instance type such as m5.large, c6in.2xlarge or m7i.metal-24xl' },
  keyName: { pattern: /^[A-Za-z0-9._+=,@-]+( [A-Za-z0-9._+=,@-]+)*$/, what: 'an EC2 key pair name: up to 255 letters, digits, single spaces and . _ + = , @ -', maxLength: 255 },
  region: { pattern: AWS_REGION_NAME, what: 'an AWS region name such as us-east-1 or eu-central-1' },
  rootDevice: { pattern: /^\/dev\/(sd[a-z]([1-9][0-9]?)?|xvd[a-z]{1,2})$/, what: 'a root device name such as /dev/xvda or /dev/sda1 (the image\'s RootDeviceName)' },
} as const;

type AwsName = keyof typeof AWS_NAMES;

function validateAwsNames(spec: ClusterSpec): Problem[] {
  const pools = typeof spec.pools === 'object' && spec.pools !== null && !Array.isArray(spec.pools) ? Object.entries(spec.pools) : [];
  const checks: [string, unknown, AwsName][] = [
    ['image', spec.image, 'image'],
    ['sshKey.name', spec.sshKey?.name, 'keyName'],
    ['aws.region', spec.aws?.region, 'region'],
    ['aws.rootDeviceName', spec.aws?.rootDeviceName, 'rootDevice'],
    ...(['zookeeper', 'masters', 'marathon', 'bastion', 'edge'] as const).map((key): [string, unknown, AwsName] => [joinPath(key, 'size'), spec[key]?.size, 'size']),
    ...pools.map(([name, pool]): [string, unknown, AwsName] => [joinPath('pools', name, 'size'), (pool as { size?: unknown } | null)?.size, 'size']),
  ];
  return checks.flatMap(([path, value, kind]) => {
    if (typeof value !== 'string' || value === '') return []; // the schema's to report
    const rule: { pattern: RegExp; what: string; maxLength?: number } = AWS_NAMES[kind];
    const fits = rule.pattern.test(value) && value.length <= (rule.maxLength ?? 64);
    return fits ? [] : [{ path, message: awsMessages.awsName(value, rule.what) }];
  });
}

/** AWS's default quota of inbound rules per security group; each admin CIDR takes one per admin port. */
export const AWS_INBOUND_RULES_PER_GROUP = 60;
/** Counted over the rules AWS builds: OpenStack-only groups do not count against AWS's quota. */
const AWS_RULES = firewallOn('aws').rules;
const ADMIN_RULES_PER_GROUP = Math.max(...AWS_RULES.map((rule) => AWS_RULES.filter((r) => r.from === 'admin' && r.to === rule.to).length));
export const MAX_ADMIN_CIDRS = Math.floor(AWS_INBOUND_RULES_PER_GROUP / ADMIN_RULES_PER_GROUP);

function validateAdminCidrCount(spec: ClusterSpec): Problem[] {
  const count = Array.isArray(spec.network?.adminCidrs) ? spec.network.adminCidrs.length : 0;
  if (count <= MAX_ADMIN_CIDRS) return [];
  return [{ path: 'network.adminCidrs', message: awsMessages.tooManyAdminCidrs(count, MAX_ADMIN_CIDRS, ADMIN_RULES_PER_GROUP, AWS_INBOUND_RULES_PER_GROUP) }];
}
