import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressCount, formatCidr, hostAddress, Ipv4Network, overlaps, parseIpv4Cidr, subnet } from '../../lib/model/cidr';

function net(cidr: string): Ipv4Network {
  const parsed = parseIpv4Cidr(cidr);
  assert.ok(typeof parsed !== 'string', `${cidr} ${parsed}`);
  return parsed;
}

describe('parseIpv4Cidr', () => {
  it('parses a.b.c.d/n into its base address and prefix', () => {
    assert.deepEqual(parseIpv4Cidr('10.0.0.0/16'), { base: 10 * 2 ** 24, prefix: 16 });
    assert.deepEqual(parseIpv4Cidr('255.255.255.255/32'), { base: 2 ** 32 - 1, prefix: 32 });
    assert.deepEqual(parseIpv4Cidr('0.0.0.0/0'), { base: 0, prefix: 0 });
    assert.deepEqual(parseIpv4Cidr('192.168.16.0/20'), { base: ((192 * 256 + 168) * 256 + 16) * 256, prefix: 20 });
  });

  it('round-trips through formatCidr', () => {
    for (const cidr of ['10.0.0.0/16', '172.16.16.0/20', '198.51.100.7/32', '128.0.0.0/1']) assert.equal(formatCidr(net(cidr)), cidr);
  });

  it('returns an error text, never throws, for text that is not a CIDR', () => {
    for (const text of ['', '10.0.0.0', '10.0.0.0/', '10.0.0.0/33', '10.0.0.256/16', 'a.b.c.d/8', ' 10.0.0.0/8', '10.0.0.0/8 ']) {
      assert.equal(parseIpv4Cidr(text), 'is not a CIDR (expected a.b.c.d/n)', JSON.stringify(text));
    }
  });

  it('rejects IPv6', () => assert.equal(parseIpv4Cidr('fd00::/8'), 'is not an IPv4 CIDR'));

  it('rejects forms other than plain dotted decimal', () => {
    // ipaddr.js reads these as inet_aton would (010 is octal 8); the cloud would not.
    for (const text of ['010.0.0.0/16', '10.0/16', '10.1.0/16', '167772160/16', '0x0a.0.0.0/16', '10.0.0.0/016']) {
      assert.match(String(parseIpv4Cidr(text)), /^is not a plain a\.b\.c\.d\/n CIDR/, text);
    }
  });

  it('rejects host bits and names the network meant', () => {
    assert.equal(parseIpv4Cidr('10.0.0.1/16'), 'has host bits set (did you mean 10.0.0.0/16?)');
    assert.equal(parseIpv4Cidr('172.16.31.0/20'), 'has host bits set (did you mean 172.16.16.0/20?)');
    assert.equal(parseIpv4Cidr('255.255.255.255/1'), 'has host bits set (did you mean 128.0.0.0/1?)');
  });
});

describe('subnet', () => {
  const n16 = net('10.0.0.0/16');

  it('returns the index-th subnet of the new prefix', () => {
    assert.equal(formatCidr(subnet(n16, 19, 0)), '10.0.0.0/19');
    assert.equal(formatCidr(subnet(n16, 19, 7)), '10.0.224.0/19');
    assert.equal(formatCidr(subnet(n16, 22, 56)), '10.0.224.0/22');
    assert.equal(formatCidr(subnet(n16, 16, 0)), '10.0.0.0/16');
    assert.equal(formatCidr(subnet(net('255.255.0.0/16'), 24, 255)), '255.255.255.0/24');
  });

  it('throws a RangeError for a subnet that does not fit', () => {
    assert.throws(() => subnet(n16, 19, 8), { name: 'RangeError', message: 'subnet /19 #8 does not fit in 10.0.0.0/16' });
    assert.throws(() => subnet(n16, 19, -1), RangeError);
    assert.throws(() => subnet(n16, 15, 0), RangeError);
  });
});

describe('hostAddress', () => {
  const n24 = net('10.0.1.0/24');

  it('returns the address offset places after the network address', () => {
    assert.equal(hostAddress(n24, 1), '10.0.1.1');
    assert.equal(hostAddress(n24, 10), '10.0.1.10');
    assert.equal(hostAddress(n24, 254), '10.0.1.254');
    assert.equal(hostAddress(net('10.0.0.0/16'), 256 + 5), '10.0.1.5');
  });

  it('refuses the network address, the broadcast address and anything outside', () => {
    for (const offset of [0, 255, 256, -1]) {
      assert.throws(() => hostAddress(n24, offset), { name: 'RangeError', message: `host offset ${offset} is outside 10.0.1.0/24` });
    }
  });
});

describe('addressCount and overlaps', () => {
  it('counts addresses', () => {
    assert.equal(addressCount(net('10.0.0.0/16')), 65536);
    assert.equal(addressCount(net('10.0.0.0/20')), 4096);
    assert.equal(addressCount(net('10.0.0.1/32')), 1);
  });

  it('finds overlap in containment, identity and shared addresses, and none for neighbours', () => {
    const yes: [string, string][] = [
      ['10.0.0.0/16', '10.0.5.0/24'],
      ['10.0.5.0/24', '10.0.0.0/16'],
      ['10.0.0.0/24', '10.0.0.0/24'],
      ['10.0.0.255/32', '10.0.0.0/24'],
    ];
    const no: [string, string][] = [
      ['10.0.0.0/24', '10.0.1.0/24'],
      ['10.0.1.0/24', '10.0.0.0/24'],
      ['10.0.0.0/16', '10.1.0.0/16'],
      ['10.0.1.0/32', '10.0.0.0/24'],
    ];
    for (const [a, b] of yes) assert.equal(overlaps(net(a), net(b)), true, `${a} ${b}`);
    for (const [a, b] of no) assert.equal(overlaps(net(a), net(b)), false, `${a} ${b}`);
  });
});
