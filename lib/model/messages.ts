import { show } from './problems';

/**
 * Every validation message, as named functions: each says what was received and what is
 * allowed, so the operator can fix the file without reading the code.
 */
export const messages = {
  notDnsSafe: (value: unknown, maxLength: number) =>
    `${show(value)} is not DNS-safe: use 1-${maxLength} lower-case letters, digits and '-', starting with a letter and not ending with '-'`,
  reservedPoolName: (value: string, reserved: readonly string[]) =>
    `pool name ${show(value)} is reserved for a cluster role (reserved: ${reserved.join(', ')})`,
  evenQuorum: (value: number) =>
    `${value} is even: a quorum needs an odd count (1, 3, 5, ...) so that a majority survives a split`,
  colocateIgnored: (value: unknown, key: string) =>
    `${show(value)} would be ignored: with colocate: true the control servers take zookeeper's ${key}; set zookeeper.${key} instead`,
  colocateCounts: (counts: string) =>
    `needs zookeeper, masters and marathon counts to be equal, got ${counts}`,
  tooManyPerZone: (role: string, count: number, zones: number, max: number) =>
    `${count} ${role} servers over ${zones} zone(s) puts more than ${max} in one zone; add zones or lower the count`,
  invalidCidr: (value: unknown, reason: string) => `${show(value)} ${reason}`,
  networkPrefix: (value: string, min: number, max: number) =>
    `${show(value)} must be a /${min} to /${max} network (subnets for six zones are carved from it)`,
  networkTooSmall: (value: string, perZone: number, capacity: number) =>
    `${show(value)} is too small: ${perZone} agents in one zone but its agent subnets hold ${capacity}; use a larger network or more zones`,
  adminCidrOpen: (value: string) =>
    `${show(value)} opens the cluster's admin endpoints to the whole internet; list your office or VPN ranges`,
  invalidZone: (value: string) =>
    `zone ${show(value)} is not valid: use lower-case letters, digits and '-' (zones become parts of resource names)`,
  invalidMesosRole: (value: unknown) =>
    `${show(value)} is not a valid Mesos role: use '*' or letters, digits, '_', '.' and '-', not starting with '-' and not '.' or '..' (the role goes into a shell-sourced facts file and into file names)`,
  invalidAttributeName: (value: string) =>
    `attribute name ${show(value)} is not valid: use letters, digits, '_', '.' and '-', not '.' or '..' (each attribute becomes a file named after it under /etc/mesos-agent/attributes/)`,
  invalidAttributeValue: (value: unknown) =>
    `${show(value)} is not a Mesos attribute value: use text (letters, digits, _ / . -), a non-negative number written plainly (2 or 1.5, no sign or exponent), a range [a-b] or a set {a,b}`,
  poolAttributeOverride: (value: unknown, pool: string) =>
    `${show(value)} conflicts with the pool's own attribute: 'pool' is always ${show(pool)}`,
  mountPath: (value: unknown) =>
    `${show(value)} is not a data mount path: use an absolute path outside the system, Mesos and Docker folders (e.g. /var/lib/jenkins or /srv/data)`,
  sizeRequired: (cloud: string) => `is required: ${cloud} has no default size for it`,
  cloudNotYetSupported: (value: string, supported: readonly string[]) =>
    `${show(value)} stacks are not built yet; supported now: ${supported.join(', ')}`,
  unexpectedFor: (cloud: string) => `only applies when cloud is ${cloud}`,
  duplicateClusterName: (value: string, other: string) => `cluster name ${show(value)} is already used by ${other}`,
} as const;
