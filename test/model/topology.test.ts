import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Ipv4Network, overlaps, parseIpv4Cidr } from '../../lib/model/cidr';
import { buildTopology, ClusterTopology, majority, QuorumServer } from '../../lib/model/topology';
import { resolve } from './fixtures';

type Patch = Parameters<typeof resolve>[0];

const THREE_ZONES = { network: { zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] } };
const SIX_ZONES = ['a', 'b', 'c', 'd', 'e', 'f'].map((z) => `us-east-1${z}`);

function topology(patch: Patch = {}): ClusterTopology {
  return buildTopology(resolve(patch));
}

function net(cidr: string): Ipv4Network {
  const parsed = parseIpv4Cidr(cidr);
  assert.ok(typeof parsed !== 'string', `${cidr} ${parsed}`);
  return parsed;
}

const inside = (ip: string, cidr: string) => overlaps(net(`${ip}/32`), net(cidr));
const names = (servers: readonly { name: string }[]) => servers.map((s) => s.name);
const ips = (servers: readonly QuorumServer[]) => servers.map((s) => s.privateIp);
const zonesOf = (nodes: readonly { zone: { zone: string } }[]) => nodes.map((n) => n.zone.zone.slice(-1)).join('');

describe('topology: quorum servers', () => {
  const t = topology(THREE_ZONES);

  it('names servers zookeeper-1..3, master-1..3, marathon-1..3 in role order', () => {
    assert.deepEqual(names(t.servers), ['zookeeper-1', 'zookeeper-2', 'zookeeper-3', 'master-1', 'master-2', 'master-3', 'marathon-1', 'marathon-2', 'marathon-3']);
    assert.deepEqual(names(t.zookeeper.servers), ['zookeeper-1', 'zookeeper-2', 'zookeeper-3']);
    assert.deepEqual(names(t.mesos.masters), ['master-1', 'master-2', 'master-3']);
    assert.deepEqual(names(t.marathon.servers), ['marathon-1', 'marathon-2', 'marathon-3']);
    assert.deepEqual(t.servers.map((s) => s.services), [...Array(3).fill(['zookeeper']), ...Array(3).fill(['mesos-master']), ...Array(3).fill(['marathon'])]);
  });

  it('spreads each role round-robin over the zones', () => {
    assert.equal(zonesOf(t.servers), 'abcabcabc');
    assert.equal(zonesOf(topology({ zookeeper: { count: 5 } }).zookeeper.servers), 'ababa');
  });

  it('gives fixed addresses: .10+ for ZooKeeper, .20+ for masters, .30+ for Marathon in the zone control subnet', () => {
    assert.deepEqual(ips(t.zookeeper.servers), ['10.0.224.10', '10.0.228.10', '10.0.232.10']);
    assert.deepEqual(ips(t.mesos.masters), ['10.0.224.20', '10.0.228.20', '10.0.232.20']);
    assert.deepEqual(ips(t.marathon.servers), ['10.0.224.30', '10.0.228.30', '10.0.232.30']);
    // Two zones: the second server of a role in zone a takes the next address of its block.
    assert.deepEqual(ips(topology().zookeeper.servers), ['10.0.224.10', '10.0.228.10', '10.0.224.11']);
  });

  it('derives addresses from the zones and counts alone: renaming, tagging or adding a pool moves no server', () => {
    const other = topology({ ...THREE_ZONES, name: 'renamed', tags: { team: 'ci' }, pools: { gpu: { count: 3 } } });
    assert.deepEqual(ips(other.servers), ips(t.servers));
    assert.deepEqual(names(other.servers), names(t.servers));
  });

  it('keeps every address inside its zone control subnet and unique across the cluster', () => {
    for (const patch of [{}, { zookeeper: { count: 5 }, masters: { count: 5 }, marathon: { count: 5 } }, { network: { cidr: '10.8.16.0/20' }, zookeeper: { count: 19 }, masters: { count: 19 }, marathon: { count: 20 } }]) {
      const servers = topology(patch).servers;
      for (const s of servers) assert.ok(inside(s.privateIp, s.zone.controlCidr), `${s.name} ${s.privateIp} outside ${s.zone.controlCidr}`);
      assert.equal(new Set(ips(servers)).size, servers.length);
    }
  });

  it('keeps every existing address when a pool grows', () => {
    const before = topology({ pools: { builds: { count: 2 } } });
    const after = topology({ pools: { builds: { count: 40 }, gpu: { count: 3 } } });
    assert.deepEqual(after.servers, before.servers);
    assert.deepEqual(after.pools[0].agents.slice(0, 2), before.pools[0].agents);
  });

  it('keeps existing ZooKeeper servers (name, id, zone, address) when the ensemble grows 3 -> 5', () => {
    const before = topology(THREE_ZONES);
    const after = topology({ ...THREE_ZONES, zookeeper: { count: 5 } });
    assert.deepEqual(after.zookeeper.servers.slice(0, 3), before.zookeeper.servers);
    assert.deepEqual(names(after.zookeeper.servers).slice(3), ['zookeeper-4', 'zookeeper-5']);
    assert.deepEqual(ips(after.zookeeper.servers).slice(3), ['10.0.224.11', '10.0.228.11']);
    assert.deepEqual(after.mesos.masters, before.mesos.masters);
    assert.deepEqual(after.marathon.servers, before.marathon.servers);
  });

  it('numbers ZooKeeper ids 1..n like the names, and only on ZooKeeper servers', () => {
    const zk = topology({ zookeeper: { count: 5 } }).zookeeper.servers;
    assert.deepEqual(zk.map((s) => s.zookeeperId), [1, 2, 3, 4, 5]);
    for (const s of zk) assert.equal(s.name, `zookeeper-${s.zookeeperId}`);
    for (const s of [...t.mesos.masters, ...t.marathon.servers]) assert.equal(s.zookeeperId, undefined);
  });

  it('builds the ZooKeeper connect string and the Mesos and Marathon zk:// URLs', () => {
    const hosts = '10.0.224.10:2181,10.0.228.10:2181,10.0.232.10:2181';
    assert.equal(t.zookeeper.connectString, hosts);
    assert.equal(t.mesos.zkUrl, `zk://${hosts}/mesos`);
    assert.equal(t.marathon.zkUrl, `zk://${hosts}/marathon`);
  });

  it('sets the Mesos replicated-log quorum to a strict majority of masters', () => {
    for (const [n, quorum] of [[1, 1], [3, 2], [5, 3], [7, 4]]) {
      assert.equal(majority(n), quorum);
      assert.equal(topology({ network: { zones: SIX_ZONES }, masters: { count: n } }).mesos.quorum, quorum, `${n} masters`);
    }
  });

  it('carries size and root volume onto each server', () => {
    const s = topology({ masters: { size: 'c5.large', rootVolumeGiB: 40 } }).mesos.masters[0];
    assert.equal(s.size, 'c5.large');
    assert.equal(s.rootVolumeGiB, 40);
  });
});

describe('topology: colocated control servers', () => {
  const t = topology({ ...THREE_ZONES, colocate: true });

  it('runs zookeeper, mesos-master and marathon on each of control-1..3, one per zone', () => {
    assert.deepEqual(names(t.servers), ['control-1', 'control-2', 'control-3']);
    for (const s of t.servers) {
      assert.equal(s.role, 'control');
      assert.deepEqual(s.services, ['zookeeper', 'mesos-master', 'marathon']);
    }
    assert.equal(zonesOf(t.servers), 'abc');
    assert.deepEqual(t.servers.map((s) => s.zookeeperId), [1, 2, 3]);
  });

  it('points every service at the control servers', () => {
    assert.deepEqual(t.zookeeper.servers, t.servers);
    assert.deepEqual(t.mesos.masters, t.servers);
    assert.deepEqual(t.marathon.servers, t.servers);
    assert.equal(t.mesos.quorum, 2);
    assert.equal(t.mesos.zkUrl, 'zk://10.0.224.10:2181,10.0.228.10:2181,10.0.232.10:2181/mesos');
  });
});

describe('topology: agents', () => {
  it('names agents <pool>-1..N, round-robin over zones, pool by pool', () => {
    const t = topology({ pools: { builds: { count: 5 }, gpu: { count: 1 }, spare: { count: 0 } } });
    assert.deepEqual(t.pools.map((p) => p.name), ['builds', 'gpu', 'spare']);
    assert.deepEqual(names(t.pools[0].agents), ['builds-1', 'builds-2', 'builds-3', 'builds-4', 'builds-5']);
    assert.equal(zonesOf(t.pools[0].agents), 'ababa');
    assert.deepEqual(t.pools[0].agents.map((a) => a.ordinal), [1, 2, 3, 4, 5]);
    assert.deepEqual(names(t.pools[1].agents), ['gpu-1']);
    assert.deepEqual(t.pools[2].agents, []);
  });
});

describe('topology: subnets', () => {
  it('carves public, control and agent subnets per zone at fixed places in a /16', () => {
    assert.deepEqual(
      topology(THREE_ZONES).zones.map(({ zone, index, publicCidr, controlCidr, agentCidr }) => [zone, index, publicCidr, controlCidr, agentCidr]),
      [
        ['us-east-1a', 0, '10.0.192.0/22', '10.0.224.0/22', '10.0.0.0/19'],
        ['us-east-1b', 1, '10.0.196.0/22', '10.0.228.0/22', '10.0.32.0/19'],
        ['us-east-1c', 2, '10.0.200.0/22', '10.0.232.0/22', '10.0.64.0/19'],
      ],
    );
  });

  it('carves the same layout, scaled, in a /20', () => {
    const [zone] = topology({ network: { cidr: '172.16.16.0/20' } }).zones;
    assert.deepEqual([zone.publicCidr, zone.controlCidr, zone.agentCidr], ['172.16.28.0/26', '172.16.30.0/26', '172.16.16.0/23']);
  });

  for (const cidr of ['10.0.0.0/16', '192.168.0.0/20']) {
    it(`keeps the subnets of six zones apart and inside ${cidr}`, () => {
      const t = topology({ network: { cidr, zones: SIX_ZONES } });
      const subnets = t.zones.flatMap((z) => [z.publicCidr, z.controlCidr, z.agentCidr]);
      assert.equal(subnets.length, 18);
      for (const s of subnets) {
        const n = net(s);
        assert.ok(n.base >= net(cidr).base && n.base + 2 ** (32 - n.prefix) <= net(cidr).base + 2 ** (32 - net(cidr).prefix), `${s} outside ${cidr}`);
      }
      subnets.forEach((a, i) => subnets.slice(i + 1).forEach((b) => assert.ok(!overlaps(net(a), net(b)), `${a} overlaps ${b}`)));
    });
  }

  it('does not move existing zones when a zone is added', () => {
    const two = topology({ pools: { builds: { count: 7 } } });
    const three = topology({ ...THREE_ZONES, pools: { builds: { count: 7 } } });
    assert.deepEqual(three.zones.slice(0, 2), two.zones);
    assert.equal(three.zones.length, 3);
  });
});
