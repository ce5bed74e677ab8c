/**
 * The cluster file as an operator writes it: one YAML document per cluster.
 *
 * These types mirror `clusters/cluster.schema.json`; the schema checks shape
 * (types, unknown keys, required keys), `validate.ts` checks meaning, and
 * `defaults.ts` turns a valid spec into a {@link ResolvedCluster}.
 */

/** The clouds a cluster can be deployed to. */
export type Cloud = 'aws' | 'openstack';
export const CLOUDS: readonly Cloud[] = ['aws', 'openstack'];

/** A whole cluster: the root of a cluster file. */
export interface ClusterSpec {
  /** DNS-safe cluster name; also the stack name and the `cluster` tag. */
  readonly name: string;
  /** Where the cluster runs. */
  readonly cloud: Cloud;
  /** Base image every node boots from (AMI id on AWS, image name or id on OpenStack). */
  readonly image: string;
  /** The SSH key pair installed on every node. */
  readonly sshKey: SshKeySpec;
  /** Network layout. */
  readonly network: NetworkSpec;
  /**
   * The ZooKeeper ensemble.
   * @default { count: 3 }
   */
  readonly zookeeper?: QuorumSpec;
  /**
   * The Mesos masters.
   * @default { count: 3 }
   */
  readonly masters?: QuorumSpec;
  /**
   * The Marathon servers.
   * @default { count: 3 }
   */
  readonly marathon?: QuorumSpec;
  /**
   * Run ZooKeeper, a Mesos master and Marathon together on each control server
   * (`control-1..n`) instead of on separate servers. The three counts must then be equal.
   * @default false
   */
  readonly colocate?: boolean;
  /**
   * The SSH bastion, the only SSH entry into the cluster.
   * @default {}
   */
  readonly bastion?: BastionSpec;
  /**
   * Credentials on the wire inside the cluster (certificates from the cluster CA).
   * @default { mesos: false, marathon: false }
   */
  readonly tls?: TlsSpec;
  /**
   * The edge: nginx servers behind the load balancer that route to the Mesos and Marathon
   * leaders and to Marathon apps (Jenkins masters) by host name and path.
   * @default { count: 2 }
   */
  readonly edge?: EdgeSpec;
  /**
   * Mesos agent pools by name (DNS-safe).
   * @default {}
   */
  readonly pools?: Readonly<Record<string, PoolSpec>>;
  /**
   * Extra tags (labels, metadata) on every resource that takes them.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Where Terraform keeps state.
   * @default { type: "local" }
   */
  readonly backend?: BackendSpec;
  /**
   * Policy rules run on every synth; findings accepted on purpose.
   * @default { suppressions: [] }
   */
  readonly policy?: PolicySpec;
  /** AWS settings; required when `cloud` is `aws`. */
  readonly aws?: AwsSpec;
  /** OpenStack settings; required when `cloud` is `openstack`. */
  readonly openstack?: OpenstackSpec;
}

/** The SSH key pair for the nodes. */
export interface SshKeySpec {
  /** Key pair name in the cloud. */
  readonly name: string;
  /**
   * OpenSSH public key. When given the key pair is created; otherwise `name` must already exist.
   * @default - use the existing key pair `name`
   */
  readonly publicKey?: string;
}

/** Network layout shared by every cloud. */
export interface NetworkSpec {
  /**
   * The cluster network's IPv4 CIDR, /16 to /20; subnets are carved from it.
   * @default "10.0.0.0/16"
   */
  readonly cidr?: string;
  /** Availability zones; nodes are spread over them round-robin. */
  readonly zones: readonly string[];
  /** CIDRs allowed to reach the bastion (SSH) and the UI load balancer. */
  readonly adminCidrs: readonly string[];
}

/** A quorum service (ZooKeeper, Mesos masters, Marathon). */
export interface QuorumSpec {
  /**
   * Number of servers. ZooKeeper and Mesos masters need an odd count.
   * @default 3
   */
  readonly count?: number;
  /**
   * Server size: an instance type on AWS, a flavor name on OpenStack.
   * @default - the cloud's default for the role (see defaults.ts)
   */
  readonly size?: string;
  /**
   * Root disk size in GiB.
   * @default 30
   */
  readonly rootVolumeGiB?: number;
}

/** What speaks TLS inside the cluster; the cluster CA and certificates come from `npm run secrets`. */
export interface TlsSpec {
  /**
   * Masters, agents and Marathon's scheduler driver: libprocess SSL only, peer certificates required.
   * @default false
   */
  readonly mesos?: boolean;
  /**
   * Marathon's API and UI over HTTPS only (its role's certificate), plain HTTP off; its clients
   * (the edge, the load balancer, verify) check the cluster CA. Needs `mesos`: its CA and certificates.
   * @default false
   */
  readonly marathon?: boolean;
}

/** The bastion host. */
export interface BastionSpec {
  /**
   * Server size.
   * @default - the cloud's default bastion size
   */
  readonly size?: string;
  /**
   * Root disk size in GiB.
   * @default 30
   */
  readonly rootVolumeGiB?: number;
}

/** The edge proxies. */
export interface EdgeSpec {
  /**
   * Number of edge servers (an Auto Scaling group on AWS); 0 turns the edge off.
   * @default 2
   */
  readonly count?: number;
  /**
   * Server size.
   * @default - the cloud's default edge size
   */
  readonly size?: string;
  /**
   * DNS domain under which each Jenkins master gets a host name (`<agent>.<domain>`); without
   * it masters are routed by path only.
   * @default - path routing only
   */
  readonly domain?: string;
  /**
   * Networks of Jenkins users and webhooks (e.g. a Git host's) allowed to the edge's HTTPS
   * listener, besides `network.adminCidrs`.
   * @default []
   */
  readonly cidrs?: readonly string[];
}

/** A pool of Mesos agents that share size, role, attributes and storage. */
export interface PoolSpec {
  /** Number of agents; 0 keeps the pool defined but empty. */
  readonly count: number;
  /**
   * Agent size.
   * @default - the cloud's default agent size
   */
  readonly size?: string;
  /**
   * Mesos role the agent's resources are reserved for; `*` means unreserved.
   * @default "*"
   */
  readonly mesosRole?: string;
  /**
   * Mesos agent attributes, `name: value` (text, scalar, range `[a-b]` or set `{a,b}`).
   * `pool: <pool name>` is always added.
   * @default {}
   */
  readonly attributes?: Readonly<Record<string, string | number>>;
  /**
   * A data volume per agent that outlives the agent.
   * @default - no data volume
   */
  readonly volume?: VolumeSpec;
  /**
   * Run the Docker containerizer and share the host's Docker socket with tasks.
   * @default false
   */
  readonly docker?: boolean;
  /**
   * Root disk size in GiB.
   * @default 50
   */
  readonly rootVolumeGiB?: number;
  /**
   * Let the pool follow demand between `min` and `max` agents (AWS only; not with `volume`).
   * `count` is then the initial size.
   * @default - a fixed size: `count` agents
   */
  readonly autoscale?: AutoscaleSpec;
}

/**
 * Bounds and target of an elastic pool: the group adds agents while more than `targetPercent`
 * of the pool's CPUs are allocated to tasks, and drains and removes them while fewer are.
 */
export interface AutoscaleSpec {
  /** Fewest agents, at least 1: the signal is the share of the pool's CPUs in use, which an empty pool cannot show. */
  readonly min: number;
  /** Most agents. */
  readonly max: number;
  /**
   * Share of the pool's CPUs allocated to tasks that the group keeps, in percent (1-100).
   * @default 70
   */
  readonly targetPercent?: number;
}

/** A block-storage data volume attached to each agent of a pool. */
export interface VolumeSpec {
  /** Size in GiB. */
  readonly sizeGiB: number;
  /** Absolute mount path on the agent. */
  readonly mountPath: string;
  /**
   * Snapshots of every volume of the pool (AWS: Data Lifecycle Manager).
   * @default { everyHours: 24, at: "03:00", keep: 7 }
   */
  readonly backup?: VolumeBackupSpec;
}

/** A snapshot schedule: every `everyHours` hours from `at` (UTC), the last `keep` kept. */
export interface VolumeBackupSpec {
  /**
   * Hours between snapshots: 1, 2, 3, 4, 6, 8, 12 or 24.
   * @default 24
   */
  readonly everyHours?: number;
  /**
   * First snapshot of the day, `HH:MM` UTC.
   * @default "03:00"
   */
  readonly at?: string;
  /**
   * Snapshots kept per volume, 1 to 1000.
   * @default 7
   */
  readonly keep?: number;
}

/** Terraform state backend. */
export type BackendSpec = LocalBackendSpec | S3BackendSpec;

/** State in a local file, `terraform.<name>.tfstate` in the stack's folder. */
export interface LocalBackendSpec {
  readonly type: 'local';
}

/** State in an S3 bucket. */
export interface S3BackendSpec {
  readonly type: 's3';
  /** Bucket name. */
  readonly bucket: string;
  /**
   * Object key.
   * @default "<cluster name>/terraform.tfstate"
   */
  readonly key?: string;
  /** Bucket region. */
  readonly region: string;
  /**
   * DynamoDB table for state locking.
   * @default - no locking table
   */
  readonly dynamodbTable?: string;
}

/** AWS-only settings. */
export interface AwsSpec {
  /** AWS region, e.g. `us-east-1`. */
  readonly region: string;
  /**
   * The base image's root device name, so the root volume can be encrypted and sized.
   * @default "/dev/xvda"
   */
  readonly rootDeviceName?: string;
  /**
   * NAT gateways for the private subnets: `single` puts one in the first zone; `per-zone` gives
   * each zone its own, so losing a zone never cuts the others' outbound traffic.
   * @default "single"
   */
  readonly natGateways?: NatGatewayMode;
  /**
   * Reach every node and the bastion through AWS Systems Manager Session Manager: each node
   * identity, and a bastion identity made for it, gets AWS's `AmazonSSMManagedInstanceCore`.
   * SSH through the bastion stays as it is.
   * @default false
   */
  readonly sessionManager?: boolean;
  /**
   * SNS topic (in `region`) that the volume-backed agents' alarms notify when an agent stops
   * serving, when EC2 recovers its instance, and when either is over.
   * @default - none: the alarms show in CloudWatch only
   */
  readonly alarmTopicArn?: string;
  /**
   * TLS certificate of the UI load balancer (ACM certificate in `region`, or an IAM server
   * certificate): the load balancer serves HTTPS only.
   */
  readonly certificateArn: string;
}

/** The policy rules' settings (docs/policy-rules.md). */
export interface PolicySpec {
  /**
   * Findings accepted on purpose; each names the rule, the resource and why.
   * @default []
   */
  readonly suppressions?: readonly PolicySuppressionSpec[];
}

/** One accepted finding. */
export interface PolicySuppressionSpec {
  /** A rule id, e.g. `no-public-ip`. */
  readonly rule: string;
  /** What the finding names: a Terraform address or a group such as `quorum:zookeeper`. */
  readonly resource: string;
  /** Why it is accepted, at least 20 characters; printed on every synth. */
  readonly reason: string;
}

/** How many NAT gateways carry the private subnets' outbound traffic. */
export type NatGatewayMode = 'single' | 'per-zone';

/**
 * OpenStack-only settings: what differs between installations. Credentials are never here: the
 * provider reads them from `clouds.yaml` (`OS_CLOUD`) or the `OS_*` variables. Flavors are the
 * roles' `size` keys, which have no default on OpenStack.
 */
export interface OpenstackSpec {
  /** The external (provider) network the router uplinks to, by name or id. */
  readonly externalNetwork: string;
  /**
   * The floating-IP pool of the bastion's (and the load balancer's) address.
   * @default - the external network's name
   */
  readonly floatingIpPool?: string;
  /**
   * The Cinder zone of each entry of `network.zones` (Nova zones), in the same order; clouds
   * often have one Cinder zone (`nova`) and several Nova zones.
   * @default - the Nova zones' names
   */
  readonly volumeZones?: readonly string[];
  /**
   * DNS servers the subnets hand out.
   * @default [] - the cloud's own resolver
   */
  readonly dnsNameservers?: readonly string[];
  /**
   * Cinder volume type of root and data volumes.
   * @default - the cloud's default type
   */
  readonly volumeType?: string;
  /**
   * How strictly the members of a quorum avoid sharing a hypervisor: `soft` schedules them
   * anyway when there are too few hypervisors, `hard` refuses.
   * @default "soft"
   */
  readonly antiAffinity?: 'soft' | 'hard';
  /**
   * The Octavia UI load balancer.
   * @default { enabled: false }
   */
  readonly loadBalancer?: OpenstackLoadBalancerSpec;
  /**
   * The region.
   * @default - from clouds.yaml or OS_REGION_NAME
   */
  readonly region?: string;
}

/** The Octavia load balancer in front of the Mesos and Marathon UIs. */
export interface OpenstackLoadBalancerSpec {
  /** @default false */
  readonly enabled?: boolean;
  /**
   * Octavia provider driver, e.g. `amphora` or `ovn`.
   * @default - the cloud's default provider
   */
  readonly provider?: string;
  /**
   * The Barbican container (or PKCS#12 secret) ref of the certificate the edge's HTTPS listener
   * presents; required with an edge. Octavia terminates TLS with it, as the AWS load balancer
   * does with `aws.certificateArn`.
   * @default - none: required when the cluster has an edge
   */
  readonly tlsContainerRef?: string;
}
