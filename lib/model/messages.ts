import { printable, show } from './problems';

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
  tooManyVolumePools: (max: number) =>
    `is volume pool number ${max + 1}: at most ${max} pools may have volumes (each owns a slice of fixed addresses in the control subnets)`,
  tooManyVolumeAgents: (count: number, zones: number, slots: number, cidr: string) =>
    `${count} volume-backed agents over ${zones} zone(s) needs more than ${slots} fixed addresses in one zone, the most a pool's slice of network ${show(cidr)} holds; use a larger network or more zones`,
  volumeAttributeReserved: (name: string) =>
    `attribute ${show(name)} is set by the cluster on agents of pools with volumes (it names the agent's data volume); remove it`,
  autoscaleBounds: (min: number, max: number) =>
    `min ${min} is more than max ${max}: an elastic pool holds between min and max agents; lower min or raise max`,
  countOutsideAutoscale: (count: number, min: number, max: number) =>
    `${count} is outside autoscale's [${min}, ${max}]: count is the pool's initial size and must lie between min and max`,
  autoscaleWithVolume: () =>
    'cannot be used on a pool with a volume: its agents keep their data volume and fixed address, and are never added or removed by a group; remove autoscale or the volume',
  tlsMarathonWithoutMesos: () =>
    'true needs tls.mesos: true: Marathon\'s HTTPS certificate and the CA its clients check are made with the libprocess ones; set tls.mesos: true or remove tls.marathon',
  adminCidrOpen: (value: string) =>
    `${show(value)} opens the cluster's admin endpoints to the whole internet; list your office or VPN ranges`,
  adminCidrsCoverInternet: (values: readonly string[]) =>
    `${values.map((v) => show(v)).join(' + ')} together cover the whole internet; list your office or VPN ranges`,
  nonRoutableNetwork: (value: string, ranges: readonly string[]) =>
    `${show(value)} lies in ${ranges.join(' and ')}, which never routes between hosts; use a private range such as 10.0.0.0/16 (cluster) or your office's public range (admin)`,
  sshPublicKey: (value: string, types: readonly string[]) =>
    `${show(value)} is not an OpenSSH public key line: "<type> <base64 key> [comment]" as in a .pub file, type one of ${types.join(', ')}, the comment letters, digits, spaces and @ . _ + = : , / -`,
  s3BucketName: (value: string) =>
    `${show(value)} is not an S3 bucket name: 3-63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit, not an IP address`,
  awsRegionName: (value: string) => `${show(value)} is not an AWS region name such as us-east-1 or eu-central-1`,
  stateKey: (value: string) =>
    `${show(value)} is not a state key: '/'-separated parts of letters, digits and _ . = + @ -, no '.' or '..' part, at most 1024 characters (e.g. ci/cluster.tfstate)`,
  dynamodbTable: (value: string) => `${show(value)} is not a DynamoDB table name: 3-255 letters, digits, '_', '.' and '-'`,
  invalidZone: (value: string) =>
    `zone ${show(value)} is not valid: use lower-case letters, digits and '-' (zones become parts of resource names)`,
  invalidMesosRole: (value: unknown) =>
    `${show(value)} is not a valid Mesos role: use '*' or letters, digits, '_', '.' and '-', not starting with '-' and not '.' or '..' (the role goes into a shell-sourced facts file and into file names)`,
  invalidAttributeName: (value: string) =>
    `attribute name ${show(value)} is not valid: use letters, digits, '_', '.' and '-', not starting with '.' (each attribute becomes a file named after it under /etc/mesos-agent/attributes/, and the agent's wrapper skips hidden files: the attribute would be lost)`,
  invalidAttributeValue: (value: unknown) =>
    `${show(value)} is not a Mesos attribute value: use text (letters, digits, _ / . -), a non-negative number written plainly (2 or 1.5, no sign or exponent) or a range [a-b]; Mesos aborts an agent whose attribute is a set {a,b}`,
  poolAttributeOverride: (value: unknown, pool: string) =>
    `${show(value)} conflicts with the pool's own attribute: 'pool' is always ${show(pool)}`,
  mountPath: (value: unknown) =>
    `${show(value)} is not a data mount path: use an absolute path outside the system, Mesos and Docker folders (e.g. /var/lib/jenkins or /srv/data)`,
  sizeRequired: (cloud: string) => `is required: ${cloud} has no default size for it`,
  cloudNotYetSupported: (value: string, supported: readonly string[]) =>
    `${show(value)} stacks are not built yet; supported now: ${supported.join(', ')}`,
  unexpectedFor: (cloud: string) => `only applies when cloud is ${cloud}`,
  unreadableFile: (why: string) => `cannot be read: ${why}`,
  notARegularFile: (kind: string) => `is ${kind}, not a cluster file; keep only cluster files named *.yaml or *.yml here`,
  fileTooLarge: (max: number) => `is larger than ${max} bytes, the most a cluster file may hold`,
  notUtf8: () => 'is not UTF-8 text',
  yamlDocuments: (count: number) =>
    `holds ${count} YAML documents; a cluster file is one document: remove the '---' line, or give each cluster its own file`,
  yamlAliasExpansion: (max: number) =>
    `YAML aliases (*name) expand to more than ${max} values; write the values out instead of nesting aliases`,
  yamlTooDeep: (max: number) => `nests deeper than ${max} levels; a cluster file needs far fewer`,
  yamlTag: (tag: string) =>
    `YAML tag ${show(tag.replace(/^tag:yaml\.org,2002:/, '!!'))} is not allowed: a cluster file uses plain values (tags such as !!omap or !!set would silently change them)`,
  yamlComplexKey: () => 'malformed YAML: a key must be plain text, not a list or a mapping',
  duplicateKey: (key: string, parent: string, first: string) =>
    `malformed YAML: Map keys must be unique: ${show(key)} is already a key of ${parent || 'the file'} at ${first}`,
  forbiddenKey: (key: string) => `key ${show(key)} is not allowed (JavaScript reads it as an object's prototype)`,
  duplicateClusterName: (value: string, other: string) => `cluster name ${show(value)} is already used by ${printable(other)}`,
} as const;
