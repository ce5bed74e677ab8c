import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { parseIpv4Cidr } from '../lib/model/cidr';
import { volumeAgentSlotsPerZone } from '../lib/model/network-layout';

/** One pool of a generated cluster: how many agents and whether each owns a data volume. */
export interface PoolShape {
  readonly name: string;
  readonly count: number;
  readonly volume: boolean;
}

/** A folder of cluster files the bench synthesizes (and, for some, plans) as a whole. */
export interface Scenario {
  /** Row label, e.g. `ci-aws` or `aws cloudbees-317`. */
  readonly name: string;
  readonly cloud: string;
  /** File name -> YAML text, written into the scenario's `CLUSTERS_DIR`. */
  readonly files: Readonly<Record<string, string>>;
  readonly agents: number;
  readonly volumeAgents: number;
}

/** The cluster files shipped in `clusters/`: every cloud's example is one more row. */
export function exampleScenarios(clustersDir: string): Scenario[] {
  return readdirSync(clustersDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((file) => {
      const text = readFileSync(join(clustersDir, file), 'utf8');
      const spec = parse(text) as ClusterDocument;
      const pools = Object.values(spec.pools ?? {});
      return {
        name: spec.name,
        cloud: spec.cloud,
        files: { [file]: text },
        agents: pools.reduce((n, p) => n + p.count, 0),
        volumeAgents: pools.filter((p) => p.volume !== undefined).reduce((n, p) => n + p.count, 0),
      };
    });
}

interface ClusterDocument {
  name: string;
  cloud: string;
  network: { cidr: string; zones: string[] };
  pools?: Record<string, { count: number; volume?: unknown; [key: string]: unknown }>;
  [key: string]: unknown;
}

/**
 * The example `base` with its pools replaced by `pools`: a volume pool copies the example's first
 * pool with a volume, any other pool its first pool without one. Quorum sizes stay the example's
 * (3 ZooKeeper, 3 masters, 3 Marathon in every shipped example).
 */
export function scaledScenario(base: Scenario, label: string, pools: readonly PoolShape[]): Scenario {
  const [file, text] = Object.entries(base.files)[0];
  const spec = parse(text) as ClusterDocument;
  const examplePools = Object.values(spec.pools ?? {});
  const withVolume = examplePools.find((p) => p.volume !== undefined);
  const without = examplePools.find((p) => p.volume === undefined);
  if (withVolume === undefined || without === undefined) throw new Error(`${file}: the example needs a pool with and one without a volume to scale`);
  spec.pools = Object.fromEntries(pools.map((p) => [p.name, { ...(p.volume ? withVolume : without), count: p.count }]));
  return {
    name: `${base.cloud} ${label}`,
    cloud: base.cloud,
    files: { [file]: stringify(spec) },
    agents: pools.reduce((n, p) => n + p.count, 0),
    volumeAgents: pools.filter((p) => p.volume).reduce((n, p) => n + p.count, 0),
  };
}

/** CloudBees' platform: 317 agents over three pools, Jenkins masters on agents with volumes. */
export const CLOUDBEES_317: readonly PoolShape[] = [
  { name: 'jenkins-masters', count: 67, volume: true },
  { name: 'builds', count: 200, volume: false },
  { name: 'builds-large', count: 50, volume: false },
];

/** 2,000 agents, 500 of them with volumes. */
export const AGENTS_2000: readonly PoolShape[] = [
  { name: 'jenkins-masters', count: 500, volume: true },
  { name: 'builds', count: 1000, volume: false },
  { name: 'builds-large', count: 500, volume: false },
];

/** The flatness series: each pool at 10, then one of them at 2,000. */
export const POOLS_AT_10: readonly PoolShape[] = [
  { name: 'jenkins-masters', count: 10, volume: true },
  { name: 'builds', count: 10, volume: false },
];
/**
 * The most volume-backed agents one pool may have in the example's network and zones: they take
 * fixed addresses in the zones' control subnets (lib/model/network-layout.ts), about 245 per zone
 * in a /16, so the model refuses 2,000 in one pool of three zones.
 */
export function volumePoolLimit(base: Scenario): number {
  const spec = parse(Object.values(base.files)[0]) as ClusterDocument;
  const network = parseIpv4Cidr(spec.network.cidr);
  if (typeof network === 'string') throw new Error(`${base.name}: network.cidr ${network}`);
  return volumeAgentSlotsPerZone(network) * spec.network.zones.length;
}

/** The volume pool at its limit (volumePoolLimit), up to 2,000. */
export function volumePoolAtLimit(base: Scenario): readonly PoolShape[] {
  return [
    { name: 'jenkins-masters', count: Math.min(2000, volumePoolLimit(base)), volume: true },
    { name: 'builds', count: 10, volume: false },
  ];
}
export const AUTO_SCALED_POOL_AT_2000: readonly PoolShape[] = [
  { name: 'jenkins-masters', count: 10, volume: true },
  { name: 'builds', count: 2000, volume: false },
];

/** The plan series: 10 agents, CloudBees scale, 2,000 (500 with volumes), and 2,000 auto-scaled. */
export const PLAN_AGENTS_10: readonly PoolShape[] = [
  { name: 'jenkins-masters', count: 3, volume: true },
  { name: 'builds', count: 7, volume: false },
];
export const PLAN_AUTO_SCALED_2000: readonly PoolShape[] = [
  { name: 'jenkins-masters', count: 3, volume: true },
  { name: 'builds', count: 1997, volume: false },
];
