import { ClusterTopology, hostsJenkinsMasters } from '../model';
import { checkAgents } from './agents-check';
import { Check, CheckResult } from './check-result';
import { checkJenkins } from './jenkins-check';
import { checkMasters, masterStates } from './mesos-check';
import { checkMarathon } from './marathon-check';
import { Transport } from './transport';
import { checkZookeeper } from './zookeeper-check';
import { NO_CREDENTIALS, OperatorCredentials } from './credentials';

export interface VerifyReport {
  readonly cluster: string;
  /** Every check passed: the cluster is whole. */
  readonly whole: boolean;
  readonly checks: readonly CheckResult[];
}

/** Shown while a cluster has no edge proxy: pass an edge check in `extraChecks` once it has one. */
const NO_EDGE: CheckResult = {
  check: 'edge',
  status: 'skip',
  summary: 'no edge check: this cluster has no edge proxy yet',
  rows: [],
};

/**
 * ZooKeeper, Mesos masters, agents per pool and Marathon, in that order (each depends on the
 * one before), the Jenkins masters' frameworks when a pool hosts Jenkins masters, then
 * `extraChecks` (e.g. the edge proxy). Marathon and the masters are asked with the operator's
 * `credentials`.
 */
export async function verifyCluster(
  topology: ClusterTopology,
  transport: Transport,
  credentials: OperatorCredentials = NO_CREDENTIALS,
  extraChecks: readonly Check[] = [],
): Promise<VerifyReport> {
  const [zookeeper, masters, marathon] = await Promise.all([
    checkZookeeper(topology, transport),
    masterStates(topology, transport, credentials),
    checkMarathon(topology, transport, credentials),
  ]);
  const [agents, jenkins] = await Promise.all([
    checkAgents(topology, transport, masters, credentials),
    topology.pools.some(hostsJenkinsMasters) ? checkJenkins(topology, transport, masters, credentials) : undefined,
  ]);
  const checks: CheckResult[] = [zookeeper, checkMasters(topology, masters), agents, marathon];
  if (jenkins !== undefined) checks.push(jenkins);
  if (extraChecks.length === 0) checks.push(NO_EDGE);
  for (const check of extraChecks) checks.push(await check(topology, transport));
  return { cluster: topology.cluster.name, whole: checks.every((c) => c.status !== 'fail'), checks };
}
