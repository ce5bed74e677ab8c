import { ClusterTopology, joinPath, SPEC_PATH_OF } from '../model';
import { renderCloudConfig } from './cloud-config';
import { bastionPlan, edgePlan, poolPlan, serverPlan } from './node-plans';

/**
 * Documents already rendered, per topology (which is immutable): the cloud's user-data size
 * check and its stack both need every document, and rendering is most of a synth's own work.
 */
const rendered = new WeakMap<ClusterTopology, Map<string, string>>();

function once(topology: ClusterTopology, key: string, render: () => string): string {
  let documents = rendered.get(topology);
  if (documents === undefined) rendered.set(topology, (documents = new Map()));
  let text = documents.get(key);
  if (text === undefined) documents.set(key, (text = render()));
  return text;
}

/** The cloud-config document (`#cloud-config` YAML) that turns the base image into this quorum server. */
export function renderServerUserData(topology: ClusterTopology, serverName: string): string {
  const server = topology.servers.find((s) => s.name === serverName);
  if (server === undefined) {
    throw new Error(`no quorum server ${JSON.stringify(serverName)} in cluster ${topology.cluster.name}; servers: ${topology.servers.map((s) => s.name).join(', ')}`);
  }
  return once(topology, `server ${serverName}`, () => renderCloudConfig(serverPlan(topology, server)));
}

/** The cloud-config document for every agent of a pool. */
export function renderPoolUserData(topology: ClusterTopology, poolName: string): string {
  const pool = topology.pools.find((p) => p.name === poolName);
  if (pool === undefined) {
    throw new Error(`no pool ${JSON.stringify(poolName)} in cluster ${topology.cluster.name}; pools: ${topology.pools.map((p) => p.name).join(', ') || '(none)'}`);
  }
  return once(topology, `pool ${poolName}`, () => renderCloudConfig(poolPlan(topology, pool)));
}

/** The bastion's cloud-config document. */
export function renderBastionUserData(topology: ClusterTopology): string {
  return once(topology, 'bastion', () => renderCloudConfig(bastionPlan(topology)));
}

/** The cloud-config document for every edge server. */
export function renderEdgeUserData(topology: ClusterTopology): string {
  return renderCloudConfig(edgePlan(topology));
}

/** One rendered document: a quorum server, every agent of a pool, or the bastion. */
export interface UserDataDocument {
  /** The server's or pool's name, or `bastion`. */
  readonly name: string;
  readonly kind: 'server' | 'pool' | 'bastion' | 'edge';
  /** The role it turns the base image into (`mesos-agent` for pools). */
  readonly role: string;
  /** Where the cluster file describes it, for problem paths. */
  readonly specPath: string;
  readonly text: string;
}

/** Every document of a cluster: each quorum server, each pool, the bastion. */
export function renderAllUserData(topology: ClusterTopology): UserDataDocument[] {
  return [
    ...topology.servers.map((s) => ({
      name: s.name,
      kind: 'server' as const,
      role: s.role,
      specPath: SPEC_PATH_OF[s.role],
      text: renderServerUserData(topology, s.name),
    })),
    ...topology.pools.map((p) => ({
      name: p.name,
      kind: 'pool' as const,
      role: 'mesos-agent',
      specPath: joinPath('pools', p.name),
      text: renderPoolUserData(topology, p.name),
    })),
    { name: 'bastion', kind: 'bastion' as const, role: 'bastion', specPath: 'bastion', text: renderBastionUserData(topology) },
    ...(topology.cluster.edge !== undefined ? [{ name: 'edge', kind: 'edge' as const, role: 'edge', specPath: 'edge', text: renderEdgeUserData(topology) }] : []),
  ];
}
