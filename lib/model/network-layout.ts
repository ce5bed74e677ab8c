import { addressCount, formatCidr, hostAddress, Ipv4Network, parseIpv4Cidr, subnet } from './cidr';

/**
 * How subnets are carved from the cluster network (prefix p, /16 to /20):
 * - agents of zone i:  the i-th /(p+3), slots 0..5 (the bulk of the space);
 * - public of zone i:  the (48+i)-th /(p+6), inside slot 6;
 * - control of zone i: the (56+i)-th /(p+6), inside slot 7.
 * Control subnets hold only fixed-address nodes (the quorum servers, then volume-backed agents),
 * so nothing else can take their addresses. The layout depends on the zone's position alone: adding a zone moves nothing.
 */
export const MAX_ZONES = 6;
export const MIN_NETWORK_PREFIX = 16;
export const MAX_NETWORK_PREFIX = 20;

/** Addresses a cloud keeps for itself in every subnet (AWS: 4 at the start and 1 at the end). */
export const RESERVED_ADDRESSES_PER_SUBNET = 5;

/** Quorum servers take fixed host offsets in their zone's control subnet, one block per role. */
export const FIXED_ADDRESS_BLOCK = 10;
export const MAX_QUORUM_SERVERS_PER_ZONE_PER_ROLE = FIXED_ADDRESS_BLOCK;

export interface ZoneSubnets {
  readonly zone: string;
  /** Position of the zone in `network.zones`, from 0. */
  readonly index: number;
  readonly publicCidr: string;
  readonly controlCidr: string;
  readonly agentCidr: string;
}

export function zoneSubnets(network: Ipv4Network, zone: string, index: number): ZoneSubnets {
  return {
    zone,
    index,
    publicCidr: formatCidr(subnet(network, network.prefix + 6, 48 + index)),
    controlCidr: formatCidr(controlSubnet(network, index)),
    agentCidr: formatCidr(subnet(network, network.prefix + 3, index)),
  };
}

/** Usable agent addresses per zone. */
export function agentCapacityPerZone(network: Ipv4Network): number {
  return addressCount(subnet(network, network.prefix + 3, 0)) - RESERVED_ADDRESSES_PER_SUBNET;
}

/**
 * The fixed address of a quorum server: block `roleBlock` (0 = ZooKeeper or colocated control,
 * 1 = Mesos master, 2 = Marathon), `ordinal` = how many servers of the role sit before it in its zone.
 */
export function fixedAddress(network: Ipv4Network, zoneIndex: number, roleBlock: number, ordinal: number): string {
  return hostAddress(controlSubnet(network, zoneIndex), FIXED_ADDRESS_BLOCK * (roleBlock + 1) + ordinal);
}

function controlSubnet(network: Ipv4Network, zoneIndex: number): Ipv4Network {
  return subnet(network, network.prefix + 6, 56 + zoneIndex);
}

/**
 * Volume-backed agents take fixed addresses in their zone's control subnet, after the quorum
 * servers' blocks, so a replaced agent comes back at the address its data's tasks knew. Each
 * volume pool (by its position among the file's volume pools) owns a slice of equal size.
 */
export const VOLUME_AGENT_FIRST_OFFSET = FIXED_ADDRESS_BLOCK * 4;
export const MAX_VOLUME_POOLS = 4;

/** How many volume-backed agents of one pool fit in one zone. */
export function volumeAgentSlotsPerZone(network: Ipv4Network): number {
  const usable = addressCount(controlSubnet(network, 0)) - 1 - VOLUME_AGENT_FIRST_OFFSET;
  return Math.floor(usable / MAX_VOLUME_POOLS);
}

/** The host offset, in its zone's control subnet, of the first agent of the volume pool in `slot`. */
export function volumeAgentFirstHost(network: Ipv4Network, slot: number): number {
  return VOLUME_AGENT_FIRST_OFFSET + slot * volumeAgentSlotsPerZone(network);
}

/** The first host offset of a control subnet past every role's block of fixed addresses. */
const FIRST_DYNAMIC_OFFSET = FIXED_ADDRESS_BLOCK * 4;

/**
 * The addresses of a control subnet that a cloud may hand out itself (DHCP, router ports): all
 * past the fixed blocks, so a cloud that picks addresses at random can never take a quorum server's.
 */
export function controlDynamicRange(controlCidr: string): { readonly start: string; readonly end: string } {
  const net = parseIpv4Cidr(controlCidr);
  if (typeof net === 'string') throw new RangeError(`${controlCidr} ${net}`);
  return { start: hostAddress(net, FIRST_DYNAMIC_OFFSET), end: hostAddress(net, addressCount(net) - 2) };
}
