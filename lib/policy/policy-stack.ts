import { Cloud } from '../model';
import { TerraformJson } from './terraform-json';

/**
 * A cluster node as every cloud's rules see it. Cluster rules (ports, quorums, connect strings,
 * secrets) read only this, so the OpenStack stack runs them once it has a reader.
 */
export interface PolicyNode {
  /** The resource that launches the node (an instance, or a pool's launch template). */
  readonly address: string;
  /** `CLUSTER_NODE_ROLE` of its user-data (`zookeeper`, `mesos-master`, `bastion`, ...), else its role tag. */
  readonly role?: string;
  /** `CLUSTER_SERVICES` of its user-data: what it runs. */
  readonly services: readonly string[];
  /** Availability zone; undefined for pools that span zones. */
  readonly zone?: string;
  readonly privateIp?: string;
  /** The user-data as the node receives it: Terraform escapes undone, base64 and gzip decoded. */
  readonly userData?: string;
  /** Addresses of the security groups it is in. */
  readonly groups: readonly string[];
  readonly publicAddress: boolean;
  /** How many nodes the resource makes (`count`, `for_each`); undefined when only Terraform can tell. */
  readonly copies: number | undefined;
}

/** One ingress permission: one source, one port range, into one group. */
export interface IngressPermission {
  readonly address: string;
  /** Address of the group the traffic enters. */
  readonly group: string;
  /** `tcp`, `udp`, `icmp` or `all`. */
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  /** A CIDR, or a group address (the stack's own or foreign), or another kind of source. */
  readonly source: { readonly cidr: string } | { readonly group: string } | { readonly other: string };
}

export interface ClusterView {
  readonly nodes: readonly PolicyNode[];
  readonly ingress: readonly IngressPermission[];
  /** Addresses of the security groups the stack defines. */
  readonly groups: readonly string[];
  /** Groups of load balancers: the cluster's front door, counted as inside. */
  readonly frontGroups: readonly string[];
  /** Every zone the stack has a network in. */
  readonly zones: readonly string[];
  /** Networks that give every node launched in them a public address. */
  readonly autoPublicNetworks: readonly string[];
}

/** A synthesized stack and what its cloud's reader made of it. */
export interface PolicyStack {
  readonly name: string;
  readonly cloud: Cloud;
  readonly json: TerraformJson;
  readonly view: ClusterView;
}
