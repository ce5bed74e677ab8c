import { AgentPoolTopology, CLUSTER_CA_CERT_SECRET, ClusterTopology, poolCaSecret, QuorumServer, serverTlsSecret, SERVER_NAME_PREFIX } from '../model';
import { placeholder, SecretFile, secretPath } from './secret-files';

/**
 * libprocess SSL (Mesos 1.11, 3rdparty/libprocess/src/openssl.cpp; reference/mesos/REAL-MESOS.md)
 * for masters, agents and Marathon's scheduler driver, when the cluster file sets `tls.mesos`.
 * Every file comes from the secret store at boot (fetch-secrets); an agent signs its own
 * certificate for its address with its pool's CA (issue-agent-cert).
 */
export const TLS_FILES = {
  /** The cluster CA: the only certificate a peer is checked against. */
  ca: secretPath('tls-ca.pem'),
  /** A quorum server's certificate (its role's, naming every server of the role) and key, one file. */
  server: secretPath('tls-server.pem'),
  /** An agent pool's issuing CA and key, read only by issue-agent-cert. */
  poolCa: secretPath('tls-pool-ca.pem'),
  /** An agent's own certificate, then its pool CA's: the chain it presents. */
  agentChain: secretPath('tls-agent.pem'),
  agentKey: secretPath('tls-agent.key'),
} as const;

/** [variable, value, why] */
export type LibprocessSetting = readonly [string, string, string?];

/**
 * libprocess reads these from its environment (LIBPROCESS_SSL_*): TLS on every connection in and
 * out, a peer certificate from the cluster CA required both ways, the address called checked
 * against the certificate's IP SANs, and no plain-text fallback.
 */
export function libprocessTlsSettings(certFile: string, keyFile: string): LibprocessSetting[] {
  return [
    ['LIBPROCESS_SSL_ENABLED', 'true'],
    ['LIBPROCESS_SSL_SUPPORT_DOWNGRADE', 'false', 'No plain-text connection is accepted, not even from a client that cannot speak TLS.'],
    ['LIBPROCESS_SSL_CERT_FILE', certFile],
    ['LIBPROCESS_SSL_KEY_FILE', keyFile],
    ['LIBPROCESS_SSL_CA_FILE', TLS_FILES.ca, 'Only the cluster CA: the system store would admit any public certificate.'],
    ['LIBPROCESS_SSL_VERIFY_SERVER_CERT', 'true'],
    ['LIBPROCESS_SSL_REQUIRE_CLIENT_CERT', 'true', 'Masters, agents and schedulers all present the cluster CA\'s certificates.'],
    ['LIBPROCESS_SSL_HOSTNAME_VALIDATION_SCHEME', 'openssl', 'OpenSSL\'s own check of the address called, no reverse DNS (the legacy scheme).'],
    ['LIBPROCESS_SSL_VERIFY_IPADD', 'true', 'Peers are called by address (UPIDs carry no names): the address must be an IP SAN.'],
    ['LIBPROCESS_SSL_ENABLE_TLS_V1_2', 'true'],
    // Mesos' default list has only RSA key exchanges and no AEAD; the cluster's keys are ECDSA P-256.
    ['LIBPROCESS_SSL_CIPHERS', 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305'],
  ];
}

/**
 * `--executor_environment_variables` of a TLS agent. Executors are libprocess processes that call
 * their agent, and the Mesos containerizer gives them only the agent's executor environment, not
 * the agent's own (apache/mesos@1.11.0 src/slave/slave.cpp executorEnvironment,
 * containerizer/mesos/containerizer.cpp 1871-1900): without the agent's TLS settings every
 * executor speaks plain text to a TLS-only agent and dies (TASK_FAILED, "Executor terminated";
 * real-mesos-tls.test.ts). No PATH: the Docker containerizer passes this environment into every
 * container (`docker run -e`, over the app's own values; src/docker/docker.cpp 719-731) and would
 * replace the image's PATH; without one, both containerizers give executors the host's default
 * (src/slave/containerizer/mesos/launch.cpp 1224, containerizer/docker.cpp 1494).
 */
export function executorTlsEnvironment(topology: ClusterTopology): Record<string, string> | undefined {
  if (!topology.cluster.tls.mesos) return undefined;
  return Object.fromEntries(agentTlsSettings(topology).map(([key, value]) => [key, value]));
}

/** A quorum server's settings: its role's certificate and key, in one file. */
export function serverTlsSettings(topology: ClusterTopology): LibprocessSetting[] {
  return topology.cluster.tls.mesos ? libprocessTlsSettings(TLS_FILES.server, TLS_FILES.server) : [];
}

/** An agent's settings: the certificate it issued itself at boot. */
export function agentTlsSettings(topology: ClusterTopology): LibprocessSetting[] {
  return topology.cluster.tls.mesos ? libprocessTlsSettings(TLS_FILES.agentChain, TLS_FILES.agentKey) : [];
}

/** A server's TLS files; Marathon (not root) must read them where it runs, root reads them anyway. */
export function serverTlsSecretFiles(topology: ClusterTopology, server: QuorumServer): SecretFile[] {
  if (!topology.cluster.tls.mesos || !server.services.some((s) => s === 'mesos-master' || s === 'marathon')) return [];
  const owner = server.services.includes('marathon') ? 'marathon:marathon' : 'root:root';
  return [
    { path: TLS_FILES.ca, template: placeholder(CLUSTER_CA_CERT_SECRET), mode: '0400', owner },
    { path: TLS_FILES.server, template: placeholder(serverTlsSecret(SERVER_NAME_PREFIX[server.role])), mode: '0400', owner },
  ];
}

export function agentTlsSecretFiles(topology: ClusterTopology, pool: AgentPoolTopology): SecretFile[] {
  if (!topology.cluster.tls.mesos) return [];
  return [
    { path: TLS_FILES.ca, template: placeholder(CLUSTER_CA_CERT_SECRET), mode: '0400', owner: 'root:root' },
    { path: TLS_FILES.poolCa, template: placeholder(poolCaSecret(pool.name)), mode: '0400', owner: 'root:root' },
  ];
}

/**
 * Facts for the node's own HTTP clients of Mesos (await-ready, agent-health, agent-lifecycle,
 * pool-usage, drain-agent), read in one place, cloud-init/scripts/mesos-tls.sh: with tls.mesos they
 * call HTTPS with the node's cluster certificate, which the masters and agents require of every client. None without tls.mesos, so those clusters' facts stay as they were.
 */
export function mesosClientTlsFacts(topology: ClusterTopology, kind: 'master' | 'agent'): Record<string, string> {
  if (!topology.cluster.tls.mesos) return {};
  const [cert, key] = kind === 'master' ? [TLS_FILES.server, TLS_FILES.server] : [TLS_FILES.agentChain, TLS_FILES.agentKey];
  return { CLUSTER_MESOS_TLS_CA: TLS_FILES.ca, CLUSTER_MESOS_TLS_CERT: cert, CLUSTER_MESOS_TLS_KEY: key };
}

/** The step that makes an agent's certificate, after agent-identity has found its address. */
export function issueAgentCertStep(topology: ClusterTopology): (readonly string[])[] {
  return topology.cluster.tls.mesos ? [['issue-agent-cert', TLS_FILES.ca, TLS_FILES.poolCa, TLS_FILES.agentChain, TLS_FILES.agentKey]] : [];
}
