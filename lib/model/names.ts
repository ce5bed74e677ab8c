/** Cluster and pool names become DNS labels, stack names and parts of cloud resource names. */
export const MAX_CLUSTER_NAME_LENGTH = 28; // "<name>-ui" must fit AWS's 32-character load balancer names
export const MAX_POOL_NAME_LENGTH = 32;

const DNS_LABEL = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;

export function isDnsSafe(name: string, maxLength: number): boolean {
  return name.length <= maxLength && DNS_LABEL.test(name);
}

/** Node name prefixes of the quorum roles and the bastion; a pool may not take them. */
export const RESERVED_POOL_NAMES = ['zookeeper', 'master', 'marathon', 'control', 'bastion', 'edge'] as const;

/** Zones become parts of resource names: `us-east-1a`, not `US East 1a`. */
export const ZONE_NAME = /^[a-z0-9-]+$/;

export function isValidZoneName(zone: string): boolean {
  return ZONE_NAME.test(zone);
}
