import * as ipaddr from 'ipaddr.js';

/** An IPv4 network: its first address as a 32-bit number and its prefix length. */
export interface Ipv4Network {
  readonly base: number;
  readonly prefix: number;
}

/**
 * Plain dotted decimal, no leading zeros. ipaddr.js also takes inet_aton forms (`10.1`, `0x0a.0.0.0`,
 * octal `010.0.0.0` = 8.0.0.0), but the text itself is handed to the cloud, which reads it differently.
 */
const DOTTED_DECIMAL_CIDR = /^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}\/(0|[1-9]\d?)$/;

/** Parses `a.b.c.d/n`; returns an error text instead of throwing. */
export function parseIpv4Cidr(text: string): Ipv4Network | string {
  if (!ipaddr.isValidCIDR(text)) return 'is not a CIDR (expected a.b.c.d/n)';
  const [addr, prefix] = ipaddr.parseCIDR(text);
  if (addr.kind() !== 'ipv4') return 'is not an IPv4 CIDR';
  if (!DOTTED_DECIMAL_CIDR.test(text)) return 'is not a plain a.b.c.d/n CIDR (four decimal numbers without leading zeros)';
  const base = toNumber(addr as ipaddr.IPv4);
  const network = (base & mask(prefix)) >>> 0;
  if (network !== base) return `has host bits set (did you mean ${formatCidr({ base: network, prefix })}?)`;
  return { base, prefix };
}

/** The `index`-th subnet of length `newPrefix` inside `net`. */
export function subnet(net: Ipv4Network, newPrefix: number, index: number): Ipv4Network {
  const size = 2 ** (32 - newPrefix);
  if (newPrefix < net.prefix || index < 0 || (index + 1) * size > 2 ** (32 - net.prefix)) {
    throw new RangeError(`subnet /${newPrefix} #${index} does not fit in ${formatCidr(net)}`);
  }
  return { base: net.base + index * size, prefix: newPrefix };
}

/** The address `offset` places after the network address. */
export function hostAddress(net: Ipv4Network, offset: number): string {
  if (offset <= 0 || offset >= addressCount(net) - 1) {
    throw new RangeError(`host offset ${offset} is outside ${formatCidr(net)}`);
  }
  return formatAddress(net.base + offset);
}

export function addressCount(net: Ipv4Network): number {
  return 2 ** (32 - net.prefix);
}

export function formatCidr(net: Ipv4Network): string {
  return `${formatAddress(net.base)}/${net.prefix}`;
}

/** True when two networks share any address. */
export function overlaps(a: Ipv4Network, b: Ipv4Network): boolean {
  return a.base < b.base + addressCount(b) && b.base < a.base + addressCount(a);
}

function formatAddress(n: number): string {
  return ipaddr.fromByteArray([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]).toString();
}

function toNumber(addr: ipaddr.IPv4): number {
  return addr.octets.reduce((acc, octet) => acc * 256 + octet, 0);
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
}

/** The address space no cluster network or admin source can be: IANA's special-purpose blocks that never route. */
export const NON_ROUTABLE_RANGES: readonly { readonly cidr: string; readonly name: string }[] = [
  { cidr: '0.0.0.0/8', name: '"this network" (0.0.0.0/8)' },
  { cidr: '127.0.0.0/8', name: 'loopback (127.0.0.0/8)' },
  { cidr: '169.254.0.0/16', name: 'link-local (169.254.0.0/16)' },
  { cidr: '224.0.0.0/4', name: 'multicast (224.0.0.0/4)' },
  { cidr: '240.0.0.0/4', name: 'reserved (240.0.0.0/4, with the broadcast address)' },
];

const NON_ROUTABLE_NETWORKS = NON_ROUTABLE_RANGES.map((range) => ({ ...range, net: parseIpv4Cidr(range.cidr) as Ipv4Network }));

/** The non-routable ranges `net` shares addresses with. */
export function nonRoutableOverlaps(net: Ipv4Network): string[] {
  return NON_ROUTABLE_NETWORKS.filter((range) => overlaps(net, range.net)).map((range) => range.name);
}

/** The non-routable range that holds all of `net`, if any. */
export function nonRoutableRangeOf(net: Ipv4Network): string | undefined {
  return NON_ROUTABLE_NETWORKS.find((range) => contains(range.net, net))?.name;
}

/** True when every address of `inner` is in `outer`. */
export function contains(outer: Ipv4Network, inner: Ipv4Network): boolean {
  return outer.base <= inner.base && inner.base + addressCount(inner) <= outer.base + addressCount(outer);
}

/** How many addresses the networks cover together, each address counted once. */
export function coveredAddressCount(nets: readonly Ipv4Network[]): number {
  const sorted = [...nets].sort((a, b) => a.base - b.base);
  let covered = 0;
  let end = 0; // first address after the run so far
  for (const net of sorted) {
    const last = net.base + addressCount(net);
    if (last > end) covered += last - Math.max(net.base, end);
    end = Math.max(end, last);
  }
  return covered;
}
