import { AgentPoolTopology, ClusterTopology, PORTS, QuorumServer, zookeeperRootAcl } from '../model';
import { agentDrainFacts, agentDrainFiles, agentDrainHelpers, agentDrainUnits } from './agent-drain-files';
import { drainGateFiles, DRAIN_GATE_UNITS } from './drain-gate-files';
import { agentHealthFacts, agentHealthFiles, agentHealthHelpers, agentHealthUnits } from './agent-health-files';
import { dockerAuthzFiles, dockerAuthzUnits } from './docker-authz-files';
import { UnitGroup } from './layout';
import { edgeFiles, edgeSecretFiles } from './edge-files';
import { frameworkProxyFiles, frameworkProxySecretFiles, frameworkProxyUnits } from './framework-proxy-files';
import { marathonFiles, marathonHttpsReadyStep, marathonKeystoreStep, marathonSecretFiles } from './marathon-files';
import { mesosAgentFiles } from './mesos-agent-files';
import { agentSecretFiles, masterSecretFiles } from './mesos-auth';
import { fetchSecretsStep, SecretFile, secretTemplateFiles } from './secret-files';
import { MASTER_ACLS_HELPER, mesosMasterFiles } from './mesos-master-files';
import { metadataGuardFiles, metadataGuardHelpers, metadataGuardUnits } from './metadata-guard-files';
import { NodePlan } from './node-plan';
import { agentTlsSecretFiles, issueAgentCertStep, mesosClientTlsFacts, serverTlsSecretFiles } from './libprocess-tls-files';
import { poolUsageFacts, poolUsageFiles, poolUsageHelpers, poolUsageUnits } from './pool-usage-files';
import { zookeeperFiles } from './zookeeper-files';

/** Facts every node shares; role facts are added per node. */
function clusterFacts(topology: ClusterTopology): Record<string, string | number> {
  return {
    CLUSTER_NAME: topology.cluster.name,
    CLUSTER_CLOUD: topology.cluster.cloud,
    CLUSTER_ZK_CONNECT: topology.zookeeper.connectString,
    CLUSTER_MESOS_ZK: topology.mesos.zkUrl,
    CLUSTER_MESOS_MASTERS: topology.mesos.masters.map((m) => `${m.privateIp}:${PORTS.mesosMaster}`).join(','),
    CLUSTER_MARATHON_ZK: topology.marathon.zkUrl,
    CLUSTER_ZK_CLIENT_PORT: PORTS.zookeeperClient,
    CLUSTER_MESOS_MASTER_PORT: PORTS.mesosMaster,
    CLUSTER_MESOS_AGENT_PORT: PORTS.mesosAgent,
    CLUSTER_MARATHON_HTTP_PORT: PORTS.marathonHttp,
  };
}

const hosts = (topology: ClusterTopology) => topology.servers.map((s) => [s.privateIp, s.name] as const);

/**
 * With aws.sessionManager every node, the bastion too, runs the image's SSM agent, and its
 * check-image makes sure the image has one; without, the agent stays masked.
 */
function sessionManager(topology: ClusterTopology): { check: string[]; enable: UnitGroup[] } {
  const on = topology.cluster.cloud === 'aws' && topology.cluster.aws?.sessionManager === true;
  return on ? { check: ['session-manager'], enable: ['session-manager'] } : { check: [], enable: [] };
}

export function serverPlan(topology: ClusterTopology, server: QuorumServer): NodePlan {
  const runs = (service: string) => server.services.includes(service as never);
  const ssm = sessionManager(topology);
  const secrets: SecretFile[] = [
    ...(runs('mesos-master') ? masterSecretFiles(topology) : []),
    ...(runs('marathon') ? marathonSecretFiles(topology) : []),
    ...serverTlsSecretFiles(topology, server),
  ];
  return {
    hostname: server.name,
    role: server.role,
    facts: {
      ...clusterFacts(topology),
      CLUSTER_NODE_ROLE: server.role,
      CLUSTER_NODE_NAME: server.name,
      CLUSTER_NODE_IP: server.privateIp,
      CLUSTER_SERVICES: server.services.join(','),
      ...poolUsageFacts(topology, server),
      ...(runs('mesos-master') ? mesosClientTlsFacts(topology, 'master') : {}),
    },
    hosts: hosts(topology),
    files: [
      ...(runs('zookeeper') ? zookeeperFiles(topology, server) : []),
      ...(runs('mesos-master') ? [...mesosMasterFiles(topology, server), ...drainGateFiles(topology, server), ...poolUsageFiles(topology, server)] : []),
      ...(runs('marathon') ? marathonFiles(topology, server) : []),
      ...secretTemplateFiles(topology, secrets),
    ],
    // The keystore before the units start: Marathon reads it once, at start.
    preSteps: [['check-image', ...server.services, ...ssm.check], ...fetchSecretsStep(topology, secrets), ...(runs('marathon') ? marathonKeystoreStep(topology) : [])],
    postSteps: runs('zookeeper') ? [['protect-zookeeper-root', ...zookeeperRootAcl(topology)]] : [],
    enable: [...(server.services satisfies readonly UnitGroup[]), ...(runs('mesos-master') ? DRAIN_GATE_UNITS : []), ...poolUsageUnits(topology, server), ...ssm.enable],
    helpers: runs('mesos-master') ? [MASTER_ACLS_HELPER, ...poolUsageHelpers(topology, server)] : [],
    ...(runs('marathon') && topology.cluster.tls.marathon ? { readySteps: marathonHttpsReadyStep(topology) } : {}),
    probes: topology.cluster.tls.marathon ? server.services.filter((s) => s !== 'marathon') : server.services,
  };
}

export function poolPlan(topology: ClusterTopology, pool: AgentPoolTopology): NodePlan {
  const services: UnitGroup[] = pool.docker ? ['docker', 'mesos-agent'] : ['mesos-agent'];
  const ssm = sessionManager(topology);
  const proxy = frameworkProxyUnits(pool);
  // The guard and the Docker plugin first: both are in place before anything runs tasks.
  const units: UnitGroup[] = [...metadataGuardUnits(), ...dockerAuthzUnits(pool), ...services, ...proxy, ...agentDrainUnits(topology, pool), ...agentHealthUnits(topology, pool), ...ssm.enable];
  const secrets = [...agentSecretFiles(pool), ...frameworkProxySecretFiles(pool), ...agentTlsSecretFiles(topology, pool)];
  return {
    role: 'mesos-agent',
    facts: {
      ...clusterFacts(topology),
      CLUSTER_NODE_ROLE: 'mesos-agent',
      CLUSTER_POOL: pool.name,
      CLUSTER_MESOS_ROLE: pool.mesosRole,
      CLUSTER_SERVICES: services.join(','),
      ...agentDrainFacts(topology),
      ...agentHealthFacts(topology, pool),
      ...mesosClientTlsFacts(topology, 'agent'),
    },
    hosts: hosts(topology),
    files: [
      ...mesosAgentFiles(topology, pool),
      ...metadataGuardFiles(),
      ...dockerAuthzFiles(pool),
      ...frameworkProxyFiles(topology, pool),
      ...agentDrainFiles(topology, pool),
      ...agentHealthFiles(topology, pool),
      ...secretTemplateFiles(topology, secrets),
    ],
    preSteps: [
      ['check-image', ...services, ...dockerAuthzUnits(pool), ...proxy, ...ssm.check],
      ...fetchSecretsStep(topology, secrets),
      pool.volume ? ['agent-identity', pool.name, '--volume-attribute'] : ['agent-identity', pool.name],
      ...issueAgentCertStep(topology),
      ...(pool.volume ? [['mount-volume', String(pool.volume.sizeGiB), pool.volume.mountPath]] : []),
    ],
    enable: units,
    helpers: [...metadataGuardHelpers(), ...agentDrainHelpers(topology, pool), ...agentHealthHelpers(topology, pool)],
    probes: ['mesos-agent'],
  };
}

/** Every edge server: nginx and the route generator, nothing of the cluster's own services. */
export function edgePlan(topology: ClusterTopology): NodePlan {
  const ssm = sessionManager(topology);
  // No credential: the edge reads the masters' read-only endpoints, which need none. With
  // tls.mesos it fetches the CA's certificate, public, and its own certificate for the masters' TLS.
  const secrets = edgeSecretFiles(topology);
  return {
    role: 'edge',
    facts: { ...clusterFacts(topology), CLUSTER_NODE_ROLE: 'edge', CLUSTER_SERVICES: 'edge' },
    hosts: hosts(topology),
    files: [...edgeFiles(topology), ...secretTemplateFiles(topology, secrets)],
    preSteps: [['check-image', 'edge', ...ssm.check], ...fetchSecretsStep(topology, secrets)],
    enable: ['edge', ...ssm.enable],
    probes: ['edge'],
  };
}

/** The bastion runs none of the cluster's services (every role unit is masked), only the SSM agent with Session Manager. */
export function bastionPlan(topology: ClusterTopology): NodePlan {
  const ssm = sessionManager(topology);
  return {
    hostname: 'bastion',
    role: 'bastion',
    facts: { ...clusterFacts(topology), CLUSTER_NODE_ROLE: 'bastion', CLUSTER_NODE_NAME: 'bastion', CLUSTER_SERVICES: '' },
    hosts: hosts(topology),
    files: [],
    preSteps: ssm.check.length > 0 ? [['check-image', ...ssm.check]] : [],
    enable: ssm.enable,
    probes: ['ssh'],
  };
}
