import { AgentRole, ServerRole } from './roles';
import { Problem } from './problems';
import { Cloud, ClusterSpec, NatGatewayMode } from './spec';

/** The roles a cloud gives a default size (instance type, flavor) to. */
export type SizedRole = ServerRole | AgentRole | 'bastion' | 'edge';

/**
 * The cloud of a resolved cluster and its own section (`aws`, `openstack`) with its defaults filled
 * in: a union on `cloud`, so code that checked the cloud reads the section without a `!`. The
 * other cloud's section is typed absent, so `cluster.aws !== undefined` also tells the cloud.
 */
export type ResolvedCloudSettings = AwsCloudSettings | OpenstackCloudSettings;

export interface AwsCloudSettings {
  readonly cloud: 'aws';
  readonly aws: ResolvedAwsSettings;
  readonly openstack?: undefined;
}

export interface OpenstackCloudSettings {
  readonly cloud: 'openstack';
  readonly openstack: ResolvedOpenstackSettings;
  readonly aws?: undefined;
}

/** The `aws` section with its defaults (see AwsSpec). */
export interface ResolvedAwsSettings {
  readonly region: string;
  readonly rootDeviceName: string;
  readonly natGateways: NatGatewayMode;
  readonly sessionManager: boolean;
  readonly certificateArn: string;
  readonly alarmTopicArn?: string;
}

/** The `openstack` section with its defaults (see OpenstackSpec). */
export interface ResolvedOpenstackSettings {
  readonly externalNetwork: string;
  /** Undefined: the external network's own name. */
  readonly floatingIpPool?: string;
  /** The Cinder zone of each Nova zone, by Nova zone name. */
  readonly volumeZones: Readonly<Record<string, string>>;
  readonly dnsNameservers: readonly string[];
  /** Undefined: the cloud's default type. */
  readonly volumeType?: string;
  readonly antiAffinity: 'soft' | 'hard';
  readonly loadBalancer: { readonly enabled: boolean; readonly provider?: string; readonly tlsContainerRef?: string };
  /** Undefined: from clouds.yaml or OS_REGION_NAME. */
  readonly region?: string;
}

/**
 * What one cloud adds to the cloud-neutral model: its naming and limit rules, its default sizes
 * and its own settings. Each cloud keeps its rules beside its stack (`lib/aws/cluster-rules.ts`)
 * and loading is handed them, so `lib/model` holds no cloud's facts and loads no cdktf.
 */
export interface CloudRules {
  readonly cloud: Cloud;
  /**
   * The cloud's problems with a cluster file. Runs on input that may also have failed the schema,
   * so it guards the types it reads; a value of the wrong type is the schema's to report.
   */
  validate(spec: ClusterSpec): Problem[];
  /** Sizes for roles the file does not size; a role without one must be sized in the file. */
  readonly defaultSizes: Readonly<Partial<Record<SizedRole, string>>>;
  /** The cloud and its own section with its defaults; called only on a valid spec. */
  resolveSettings(spec: ClusterSpec): ResolvedCloudSettings;
  /**
   * How many edge servers a file that does not set `edge.count` gets (DEFAULT_EDGE_COUNT, or 0
   * where the cloud has nothing to put in front of them). Runs on input that may have failed
   * the schema, like `validate`.
   */
  defaultEdgeCount(spec: ClusterSpec): number;
}

/** How many edge servers the file asks for: `edge.count`, or the cloud's default. */
export function edgeCountOf(spec: ClusterSpec, rules: CloudRules): number {
  return spec.edge?.count ?? rules.defaultEdgeCount(spec);
}

/** The rules of every cloud whose stack is built; a cloud missing here is refused. */
export type CloudRulesByCloud = Readonly<Partial<Record<Cloud, CloudRules>>>;
