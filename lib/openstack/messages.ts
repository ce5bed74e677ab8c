import { show } from '../model/problems';

/** The messages of OpenStack's own rules, as named functions (the neutral ones are in lib/model/messages.ts). */
export const openstackMessages = {
  requiredFor: () =>
    'is required when cloud is openstack (at least openstack.externalNetwork: no two OpenStack clouds name their external network alike)',
  volumeZoneCount: (given: number, zones: number) =>
    `${given} volume zone(s) given for ${zones} network.zones: list one Cinder zone per Nova zone, in the same order (or leave it out when they are named alike)`,
  nameserver: (value: unknown) => `${show(value)} is not an IPv4 address (a.b.c.d); subnets hand these to every node as DNS servers`,
  openstackName: (value: string, what: string) =>
    `${show(value)} is not ${what}: use 1-255 characters without control characters (tabs, line breaks) and without spaces at either end`,
  metadataLength: (what: 'key' | 'value', value: string, length: number) =>
    `metadata ${what} ${show(value)} has ${length} character(s); Nova allows at most 255`,
  reservedMetadataKey: (key: string, reserved: readonly string[]) =>
    `tag key ${show(key)} is server metadata the stack sets itself (reserved: ${reserved.join(', ')})`,
  tooManyMetadataItems: (count: number, max: number) =>
    `${count} tags given; at most ${max}: Nova's default quota is 128 metadata items per server and the stack sets its own`,
  edgeNeedsLoadBalancer: (count: unknown) =>
    `${show(count)} edge server(s) need the Octavia load balancer in front of them: set openstack.loadBalancer.enabled: true, or edge.count: 0`,
  loadBalancerNeedsCertificate: () =>
    'is required with the load balancer: the Barbican container ref of the certificate its HTTPS listeners (the Mesos and Marathon UIs, the edge) present (docs/openstack.md#the-edge-on-openstack), or set openstack.loadBalancer.enabled: false',
  noAutoscale: () =>
    'applies on AWS only: OpenStack agents are named servers with no group to grow or shrink them; remove it and set count (docs/autoscale.md)',
  noSnapshotSchedule: () =>
    'applies on AWS only: the OpenStack provider has no snapshot schedule, so the stack takes no snapshots; remove it and snapshot the volumes marked backup=true yourself (docs/openstack.md#backups-on-openstack)',
  userDataTooLarge: (what: string, encodedBytes: number, limit: number) =>
    `the user-data of ${what} is ${encodedBytes} bytes once base64-encoded, over Nova's limit of ${limit}; use fewer attributes or fewer quorum servers`,
} as const;
