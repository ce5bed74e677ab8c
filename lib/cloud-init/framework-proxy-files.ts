import { AgentPoolTopology, ClusterTopology, hostsJenkinsMasters, JENKINS_FRAMEWORK_SECRET, JENKINS_PRINCIPAL, mesosTlsName, PORTS } from '../model';
import { UnitGroup } from './layout';
import { TLS_FILES } from './libprocess-tls-files';
import { placeholder, SecretFile, secretPath } from './secret-files';
import { renderTemplate } from './templates';
import { configFile, WriteFile } from './write-file';

/**
 * The Jenkins masters' way to Mesos: HAProxy on each agent that hosts them, on its loopback,
 * adding principal `jenkins`'s credential to the plugin's scheduler calls and sending them to the
 * leading master. The mesos plugin 2.0 has no setting for a Mesos credential (it authenticates
 * only as a DC/OS service account), and the masters require one for every HTTP framework.
 * The secret file is root-only on the host, out of the masters' volumes, so the masters (user
 * jenkins) cannot read it; but they share the host's network, so they, like anything on the
 * host's loopback, act as principal jenkins through this proxy: that is its purpose. The cloud's
 * metadata service, with the node's own credentials, is closed to them (metadata-guard-files.ts).
 */
export const FRAMEWORK_PROXY_URL = `http://127.0.0.1:${PORTS.frameworkProxy}`;

const CONFIG = '/etc/mesos-cluster/framework-proxy.cfg';
const UNIT = '/etc/systemd/system/mesos-framework-proxy.service';

/** `MESOS_FRAMEWORK_LOGIN=jenkins:<secret>` for the unit's EnvironmentFile; root-only, off the data volume. */
export const FRAMEWORK_PROXY_LOGIN: SecretFile = {
  path: secretPath('mesos-framework-proxy.env'),
  template: `MESOS_FRAMEWORK_LOGIN=${JENKINS_PRINCIPAL}:${placeholder(JENKINS_FRAMEWORK_SECRET)}`,
  mode: '0400',
  owner: 'root:root',
};

export interface FrameworkProxyMaster {
  readonly name: string;
  /** `ip:port` */
  readonly endpoint: string;
}

/** With tls.mesos: how HAProxy talks to the masters. */
export interface FrameworkProxyTls {
  /** The CA the masters' certificate must chain to. */
  readonly caFile: string;
  /** The agent's certificate chain; its key beside it as `<certFile>.key` (HAProxy 2.6 looks there). */
  readonly certFile: string;
  /** The DNS name the masters' certificate must carry (`verifyhost`). */
  readonly name: string;
}

/**
 * With tls.mesos the unit hands HAProxy (a DynamicUser) the agent's root-only TLS files as systemd
 * credentials: [credential id, file on the host]. HAProxy 2.6 reads the key of a `crt` that holds
 * none from `<crt>.key` (measured), hence the key's id.
 */
export function frameworkProxyCredentials(topology: ClusterTopology): (readonly [string, string])[] {
  if (!topology.cluster.tls.mesos) return [];
  return [
    ['cluster-ca.pem', TLS_FILES.ca],
    ['agent.pem', TLS_FILES.agentChain],
    ['agent.pem.key', TLS_FILES.agentKey],
  ];
}

/** The rendered TLS settings: the credentials' paths, which systemd passes in $CREDENTIALS_DIRECTORY. */
export function frameworkProxyTls(topology: ClusterTopology): FrameworkProxyTls | undefined {
  if (!topology.cluster.tls.mesos) return undefined;
  const [ca, cert] = frameworkProxyCredentials(topology).map(([id]) => `\${CREDENTIALS_DIRECTORY}/${id}`);
  return { caFile: ca, certFile: cert, name: mesosTlsName(topology.cluster.name) };
}

/** HAProxy's configuration: tests run it against stand-in masters on other ports. */
export function frameworkProxyConfig(masters: readonly FrameworkProxyMaster[], port: number = PORTS.frameworkProxy, tls?: FrameworkProxyTls): string {
  return renderTemplate('mesos/framework-proxy.cfg.ejs', { masters, port, principal: JENKINS_PRINCIPAL, tls });
}

export function frameworkProxySecretFiles(pool: AgentPoolTopology): SecretFile[] {
  return hostsJenkinsMasters(pool) ? [FRAMEWORK_PROXY_LOGIN] : [];
}

export function frameworkProxyUnits(pool: AgentPoolTopology): UnitGroup[] {
  return hostsJenkinsMasters(pool) ? ['framework-proxy'] : [];
}

export function frameworkProxyFiles(topology: ClusterTopology, pool: AgentPoolTopology): WriteFile[] {
  if (!hostsJenkinsMasters(pool)) return [];
  const masters = topology.mesos.masters.map((m) => ({ name: m.name, endpoint: `${m.privateIp}:${PORTS.mesosMaster}` }));
  return [
    configFile(CONFIG, frameworkProxyConfig(masters, PORTS.frameworkProxy, frameworkProxyTls(topology))),
    configFile(
      UNIT,
      renderTemplate('mesos/framework-proxy.service.ejs', {
        config: CONFIG,
        loginFile: FRAMEWORK_PROXY_LOGIN.path,
        principal: JENKINS_PRINCIPAL,
        credentials: frameworkProxyCredentials(topology).map(([id, path]) => ({ id, path })),
      }),
    ),
  ];
}
