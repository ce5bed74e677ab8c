import { AgentNode, AgentPoolTopology, ClusterTopology, hostsJenkinsMasters, PORTS, VOLUME_ATTRIBUTE } from '../model';
import { MARATHON_MESOS_ROLE } from '../cloud-init/layout';

/** The labels the edge routes by (cloud-init/scripts/edge-routes.py reads the same names). */
export const EDGE_HOST_LABEL = 'MESOS_CLUSTER_EDGE_HOST';
export const EDGE_PATH_LABEL = 'MESOS_CLUSTER_EDGE_PATH';

/** Where every Jenkins master answers through the edge: `/jenkins/<agent>`. */
export const JENKINS_PATH_PREFIX = '/jenkins';
/** Every Jenkins master's Mesos framework is named `jenkins-<agent>`. */
export const JENKINS_FRAMEWORK_PREFIX = 'jenkins-';
const JENKINS_HOME = '/var/jenkins_home';

export interface JenkinsMasterSettings {
  /** A Jenkins image with the mesos (2.x) and configuration-as-code plugins. */
  readonly image: string;
  /** @default 2 */
  readonly cpus: number;
  /** Memory limit in MiB; the JVM heap is sized below it. */
  readonly memMiB: number;
}

export const DEFAULT_JENKINS_MASTER: JenkinsMasterSettings = { image: 'jenkins/jenkins:lts-jdk17', cpus: 2, memMiB: 4096 };

/** A Jenkins master: the agent of a Marathon-reserved volume pool whose data volume it owns. */
export interface JenkinsMaster {
  readonly pool: AgentPoolTopology;
  readonly agent: AgentNode;
  /** Marathon app id, `/jenkins/<agent>`. */
  readonly appId: string;
  /** The edge path, equal to the app id: Jenkins serves under it (`--prefix`). */
  readonly path: string;
  readonly host?: string;
  /** The Jenkins home on the agent: a folder of the data volume. */
  readonly hostPath: string;
  /** The Mesos framework its mesos cloud registers: name `jenkins-<agent>`. */
  readonly frameworkName: string;
  /** Fixed, `<cluster>-jenkins-<agent>`: a restarted Jenkins resumes its framework (and builds). */
  readonly frameworkId: string;
}

/** One Jenkins master per agent of every pool that is reserved for Marathon and has volumes. */
export function jenkinsMasters(topology: ClusterTopology): JenkinsMaster[] {
  const domain = topology.cluster.edge?.domain;
  return topology.pools
    .filter(hostsJenkinsMasters)
    .flatMap((pool) =>
      pool.agents.map((agent) => ({
        pool,
        agent,
        appId: `${JENKINS_PATH_PREFIX}/${agent.name}`,
        path: `${JENKINS_PATH_PREFIX}/${agent.name}`,
        host: domain === undefined ? undefined : `${agent.name}.${domain}`,
        hostPath: `${pool.volume!.mountPath}/${agent.name}`,
        frameworkName: `${JENKINS_FRAMEWORK_PREFIX}${agent.name}`,
        frameworkId: `${topology.cluster.name}-${JENKINS_FRAMEWORK_PREFIX}${agent.name}`,
      })),
    );
}

/**
 * The Marathon app definition of a Jenkins master, pinned to the agent that owns its data volume
 * (the `volume` attribute) in its pool, on resources reserved for Marathon's role.
 */
export function jenkinsMasterApp(master: JenkinsMaster, settings: JenkinsMasterSettings = DEFAULT_JENKINS_MASTER): Record<string, unknown> {
  const { pool, agent } = master;
  const heapMiB = Math.floor(settings.memMiB * 0.7);
  // tini (in the official image) as a subreaper reaps the zombies of a long-running master;
  // $PORT0/$PORT1 are the task's HTTP and inbound-agent ports: the fixed ones builds may reach.
  const cmd = [
    `export JAVA_OPTS="-Xmx${heapMiB}m -Djenkins.model.Jenkins.slaveAgentPort=$PORT1 -Dcasc.jenkins.config=${JENKINS_HOME}/casc.yaml";`,
    `exec /usr/bin/tini -s -- /usr/local/bin/jenkins.sh --httpPort=$PORT0 --prefix=${master.path}`,
  ].join(' ');
  const docker = pool.docker
    ? { type: 'DOCKER', docker: { image: settings.image, parameters: [{ key: 'init', value: 'true' }] } }
    : { type: 'MESOS', docker: { image: settings.image } };
  return {
    id: master.appId,
    instances: 1,
    cpus: settings.cpus,
    mem: settings.memMiB,
    disk: 0,
    cmd,
    role: MARATHON_MESOS_ROLE,
    acceptedResourceRoles: [MARATHON_MESOS_ROLE],
    constraints: [
      ['pool', 'CLUSTER', pool.name],
      [VOLUME_ATTRIBUTE, 'CLUSTER', agent.name],
    ],
    container: {
      ...docker,
      volumes: [{ containerPath: JENKINS_HOME, hostPath: master.hostPath, mode: 'RW' }],
    },
    // The host's network: Jenkins reaches Mesos through the agent's loopback (FRAMEWORK_PROXY_URL).
    networks: [{ mode: 'host' }],
    // Fixed host ports (PORTS.jenkinsHttp, PORTS.jenkinsInboundAgent): the firewall admits
    // build agents to these two and to no other port of the agents hosting Jenkins masters.
    portDefinitions: [
      { port: PORTS.jenkinsHttp, name: 'http' },
      { port: PORTS.jenkinsInboundAgent, name: 'agents' },
    ],
    requirePorts: true,
    env: { JENKINS_HOME },
    healthChecks: [
      {
        protocol: 'MESOS_HTTP',
        path: `${master.path}/login`,
        portIndex: 0,
        gracePeriodSeconds: 600,
        intervalSeconds: 30,
        timeoutSeconds: 10,
        maxConsecutiveFailures: 5,
      },
    ],
    // One writer of the Jenkins home: stop the old task before the new one starts.
    upgradeStrategy: { minimumHealthCapacity: 0, maximumOverCapacity: 0 },
    labels: {
      [EDGE_PATH_LABEL]: master.path,
      ...(master.host === undefined ? {} : { [EDGE_HOST_LABEL]: master.host }),
    },
  };
}
