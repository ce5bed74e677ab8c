import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTopology, DEFAULT_VOLUME_BACKUP } from '../../lib/model';
import { contains, parseIpv4Cidr, Ipv4Network } from '../../lib/model/cidr';
import { onlyProblem, resolve, valid } from './fixtures';

const volume = { sizeGiB: 100, mountPath: '/var/lib/jenkins' };
const net = (cidr: string) => parseIpv4Cidr(cidr) as Ipv4Network;

describe('volume-backed agents: fixed addresses', () => {
  const topology = buildTopology(resolve({ pools: { jenkins: { count: 5, volume }, more: { count: 3, volume } } }));
  const agents = topology.pools.filter((p) => p.volume).flatMap((p) => p.agents);

  it('gives every agent of a volume pool an address in its zone control subnet, none taken twice or by a quorum server', () => {
    for (const agent of agents) assert.ok(contains(net(agent.zone.controlCidr), net(`${agent.privateIp}/32`)), `${agent.name} ${agent.privateIp}`);
    const taken = [...agents.map((a) => a.privateIp), ...topology.servers.map((s) => s.privateIp)];
    assert.equal(new Set(taken).size, taken.length);
    assert.equal(topology.pools.find((p) => p.name === 'builds')!.agents[0].privateIp, undefined, 'auto-scaled agents get no fixed address');
  });

  it('keeps every address when a pool grows', () => {
    const grown = buildTopology(resolve({ pools: { jenkins: { count: 9, volume }, more: { count: 3, volume } } })).pools.filter((p) => p.volume).flatMap((p) => p.agents);
    for (const agent of agents) assert.equal(grown.find((g) => g.name === agent.name)!.privateIp, agent.privateIp, agent.name);
  });

  it('refuses more volume agents in a zone than the pool slice of the network holds', () => {
    // A /20 network: /26 control subnets, 23 addresses after the quorum blocks, 5 per pool slice.
    valid({ network: { cidr: '10.0.0.0/20' }, pools: { jenkins: { count: 10, volume } } });
    onlyProblem({ network: { cidr: '10.0.0.0/20' }, pools: { jenkins: { count: 11, volume } } }, 'pools.jenkins.count', '11 volume-backed agents over 2 zone(s)', 'more than 5');
  });

  it('refuses a fifth pool with volumes, and a volume attribute set by the file', () => {
    const pools = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((name) => [name, { count: 1, volume }]));
    onlyProblem({ pools }, 'pools.e.volume', 'at most 4 pools may have volumes');
    onlyProblem({ pools: { jenkins: { count: 1, volume, attributes: { volume: 'x' } } } }, 'pools.jenkins.attributes.volume', 'set by the cluster');
  });
});

describe('volume backups in the cluster file', () => {
  it('default to a daily snapshot at 03:00 UTC, a week kept', () => {
    assert.deepEqual(resolve({ pools: { jenkins: { count: 1, volume } } }).pools.find((p) => p.name === 'jenkins')!.volume!.backup, DEFAULT_VOLUME_BACKUP);
  });

  it('take a schedule per pool and refuse intervals, times and counts DLM does not take', () => {
    const backup = { everyHours: 12, at: '01:30', keep: 14 };
    assert.deepEqual(resolve({ pools: { jenkins: { count: 1, volume: { ...volume, backup } } } }).pools.find((p) => p.name === 'jenkins')!.volume!.backup, backup);
    onlyProblem({ pools: { jenkins: { count: 1, volume: { ...volume, backup: { everyHours: 5 } } } } }, 'pools.jenkins.volume.backup.everyHours');
    onlyProblem({ pools: { jenkins: { count: 1, volume: { ...volume, backup: { at: '25:00' } } } } }, 'pools.jenkins.volume.backup.at');
    onlyProblem({ pools: { jenkins: { count: 1, volume: { ...volume, backup: { keep: 0 } } } } }, 'pools.jenkins.volume.backup.keep');
  });
});
