/** Cluster and pool names become DNS labels, stack names and parts of cloud resource names. */
export const MAX_CLUSTER_NAME_LENGTH = 28; // "<name>-ui" must fit AWS's 32-character load balancer names
export const MAX_POOL_NAME_LENGTH = 32;

const DNS_LABEL = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;

export function isDnsSafe(name: string, maxLength: number): boolean {
  return name.length <= maxLength && DNS_LABEL.test(name);
}

/** Node name prefixes of the quorum roles and the bastion; a pool may not take them. */
export const RESERVED_POOL_NAMES = ['zookeeper', 'master', 'marathon', 'control', 'bastion'] as const;

/** AWS refuses security group names starting `sg-` and load balancer names starting `internal-`. */
export const FORBIDDEN_CLUSTER_NAME_PREFIXES = [
  { prefix: 'sg-', why: 'AWS refuses security group names starting with "sg-"' },
  { prefix: 'internal-', why: 'AWS refuses load balancer names starting with "internal-"' },
] as const;

/** Tag keys the stack sets itself on every or some resources. */
export const RESERVED_TAG_KEYS = ['cluster', 'role', 'pool', 'Name', 'services', 'managed-by'] as const;
/** AWS allows 50 tags per resource; the stack's own tags need the rest. */
export const MAX_USER_TAGS = 40;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;
/** The characters AWS allows in tag keys and values, in every service. No `$`, so no `${...}`. */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** The distinct characters of `text` that a tag may not hold; [] when it is fine. */
export function disallowedTagCharacters(text: string): string[] {
  return TAG_TEXT.test(text) ? [] : [...new Set([...text].filter((c) => !TAG_TEXT.test(c)))];
}

/** Length in characters as AWS counts them (code points, not UTF-16 units). */
export function characterCount(text: string): number {
  return [...text].length;
}

/** Zones become parts of resource names: `us-east-1a`, not `US East 1a`. */
export const ZONE_NAME = /^[a-z0-9-]+$/;
