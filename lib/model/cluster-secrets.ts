import { AgentPoolTopology, ClusterTopology } from './topology';
import { MARATHON_MESOS_ROLE, SERVER_NAME_PREFIX, ServerRole, SERVICES_OF, ServiceRole } from './roles';
import { CertificatePlan, certificatePlans, CLUSTER_CA_CERT_SECRET, CLUSTER_CA_SECRET, MARATHON_KEYSTORE_PASSWORD_SECRET, tlsSecretsOfEdge, tlsSecretsOfPool, tlsSecretsOfServerRole } from './tls';

/**
 * The cluster's secrets: what exists, who reads it at boot and which Mesos principals they make.
 * Cloud-neutral: a secret is a name under the cluster's path in a store (SSM Parameter Store on
 * AWS, Barbican on OpenStack). No value is ever rendered; nodes fetch them at boot
 * (cloud-init/scripts/fetch-secrets.sh).
 */

/** Every cluster's secrets live under `<root>/<cluster>/`. */
export const SECRETS_ROOT = '/mesos-cluster';

export function clusterSecretsPath(cluster: string): string {
  return `${SECRETS_ROOT}/${cluster}`;
}

/**
 * One secret, by its name below the cluster's path, e.g. `marathon/zk-password`. A `token` is
 * generated once and kept; a `document` is computed from tokens (the masters' credentials file)
 * and rewritten whenever they or the pools change; a `certificate` is a PEM certificate with its
 * key (or the CA's certificate alone), issued by the cluster CA and reissued when what it covers
 * changes (lib/model/tls.ts).
 */
export interface ClusterSecret {
  readonly name: string;
  readonly description: string;
  readonly kind: 'token' | 'document' | 'certificate';
}

/** The masters' `--credentials` file: every principal with its secret, one document. */
export const MASTER_CREDENTIALS_SECRET = 'mesos-master/credentials';

/** A Mesos principal: CRAM-MD5 for frameworks and agents, HTTP basic for the operator. */
export interface MesosPrincipal {
  readonly principal: string;
  /** The secret holding its password. */
  readonly secret: string;
  readonly kind: 'framework' | 'agent' | 'operator';
  /** Roles a framework may register with (`register_frameworks`). */
  readonly roles?: readonly string[];
}

/** ZooKeeper digest users: each owns one znode tree and creates it with its own ACL. */
export const ZK_DIGEST_USERS = {
  mesos: { user: 'mesos', secret: 'mesos-master/zk-password' },
  marathon: { user: 'marathon', secret: 'marathon/zk-password' },
} as const;

/** Marathon's framework principal; the only one allowed to register with Marathon's role. */
export const MARATHON_PRINCIPAL = 'marathon';
/** Jenkins masters register their frameworks as this principal, with the default role only. */
export const JENKINS_PRINCIPAL = 'jenkins';
/** The secret of principal JENKINS_PRINCIPAL: read by the agents that host the Jenkins masters. */
export const JENKINS_FRAMEWORK_SECRET = 'frameworks/jenkins/mesos-secret';
/** People and tools with full rights on the masters' HTTP API; never on any node. */
export const OPERATOR_PRINCIPAL = 'operator';
/** The user of Marathon's HTTP basic authentication. */
export const MARATHON_HTTP_USER = 'operator';
/** The secret holding the password of MARATHON_HTTP_USER. */
export const MARATHON_HTTP_PASSWORD_SECRET = 'marathon/http-password';

export const agentPrincipal = (pool: string) => `agent-${pool}`;
const poolSecret = (pool: string) => `pools/${pool}/mesos-secret`;
/** The key a pool's agents sign their executors' tokens with (Mesos --jwt_secret_key). */
export const executorKeySecret = (pool: string) => `pools/${pool}/executor-jwt-key`;

export function mesosPrincipals(topology: ClusterTopology): MesosPrincipal[] {
  return [
    { principal: MARATHON_PRINCIPAL, secret: 'marathon/mesos-secret', kind: 'framework', roles: [MARATHON_MESOS_ROLE] },
    { principal: JENKINS_PRINCIPAL, secret: JENKINS_FRAMEWORK_SECRET, kind: 'framework', roles: ['*'] },
    { principal: OPERATOR_PRINCIPAL, secret: 'operator/mesos-secret', kind: 'operator' },
    ...topology.pools.map((p) => ({ principal: agentPrincipal(p.name), secret: poolSecret(p.name), kind: 'agent' as const })),
  ];
}

/** Every secret of the cluster, in a stable order. */
export function clusterSecrets(topology: ClusterTopology): ClusterSecret[] {
  const token = (name: string, description: string): ClusterSecret => ({ name, description, kind: 'token' });
  return [
    token(ZK_DIGEST_USERS.mesos.secret, 'ZooKeeper digest password of user mesos, owner of /mesos'),
    token(ZK_DIGEST_USERS.marathon.secret, 'ZooKeeper digest password of user marathon, owner of /marathon'),
    token(MARATHON_HTTP_PASSWORD_SECRET, `HTTP basic password of Marathon's API user ${MARATHON_HTTP_USER}`),
    ...mesosPrincipals(topology).map((p) => token(p.secret, `Mesos secret of principal ${p.principal} (${p.kind})`)),
    ...topology.pools.map((p) => token(executorKeySecret(p.name), `Key the agents of pool ${p.name} sign executor tokens with (--jwt_secret_key)`)),
    { name: MASTER_CREDENTIALS_SECRET, description: 'Mesos masters --credentials: every principal and its secret', kind: 'document' },
    ...(topology.cluster.tls.mesos ? tlsSecrets(topology) : []),
    ...(topology.cluster.tls.marathon ? [token(MARATHON_KEYSTORE_PASSWORD_SECRET, "Password of Marathon's HTTPS keystore (--ssl_keystore_password)")] : []),
  ];
}

function tlsSecrets(topology: ClusterTopology): ClusterSecret[] {
  const certificate = (name: string, description: string): ClusterSecret => ({ name, description, kind: 'certificate' });
  return [
    certificate(CLUSTER_CA_SECRET, 'Cluster CA certificate and key (read by no node)'),
    certificate(CLUSTER_CA_CERT_SECRET, 'Cluster CA certificate: every TLS peer trusts it'),
    ...certificatePlans(topology).map((plan) => certificate(plan.secret, certificateDescription(plan))),
  ];
}

function certificateDescription(plan: CertificatePlan): string {
  switch (plan.kind) {
    case 'server':
      return `TLS certificate and key of ${plan.commonName} (${[...plan.ips, ...(plan.dnsNames ?? [])].join(', ')})`;
    case 'pool-ca':
      return `Issuing CA of the agents of ${plan.commonName} for ${plan.cidrs.join(', ')}`;
    case 'client':
      return `TLS client certificate and key of ${plan.commonName} (npm run verify; read by no node)`;
  }
}

/** The masters' credentials document (Mesos' JSON credentials format) from each principal's secret. */
export function masterCredentialsDocument(topology: ClusterTopology, secretOf: (name: string) => string): string {
  return JSON.stringify({ credentials: mesosPrincipals(topology).map((p) => ({ principal: p.principal, secret: secretOf(p.secret) })) });
}

/** The secrets a service reads at boot: a master the credentials of every principal, an agent only its pool's. */
export function secretsOfService(service: ServiceRole): string[] {
  switch (service) {
    case 'zookeeper':
      return [];
    case 'mesos-master':
      return [ZK_DIGEST_USERS.mesos.secret, MASTER_CREDENTIALS_SECRET];
    case 'marathon':
      return [ZK_DIGEST_USERS.marathon.secret, 'marathon/mesos-secret', MARATHON_HTTP_PASSWORD_SECRET];
  }
}

export function secretsOfPool(pool: string): string[] {
  return [poolSecret(pool), executorKeySecret(pool)];
}

/**
 * Pools whose agents host the Jenkins masters (lib/apps): reserved for Marathon's role, with a
 * data volume per agent for the masters' homes.
 */
export function hostsJenkinsMasters(pool: AgentPoolTopology): boolean {
  return pool.mesosRole === MARATHON_MESOS_ROLE && pool.volume !== undefined;
}

/** What a pool's agents read at boot: their own credential, and the Jenkins framework secret where the masters run. */
export function secretsOfPoolAgents(pool: AgentPoolTopology): string[] {
  return [...secretsOfPool(pool.name), ...(hostsJenkinsMasters(pool) ? [JENKINS_FRAMEWORK_SECRET] : [])];
}

/**
 * Who a node is to the cloud: one identity (an IAM role and instance profile on AWS, an application
 * credential on OpenStack) per kind of quorum server and per pool. Names are the server name
 * prefixes (`master`, `control`) and pool names, which never collide: pools may not take the
 * prefixes (RESERVED_POOL_NAMES).
 */
export interface NodeIdentity {
  readonly name: string;
  readonly kind: 'server' | 'pool' | 'edge' | 'bastion';
  /** The server role, or the pool's name. */
  readonly of: string;
  /** Secret names it may read, and nothing else. */
  readonly secrets: readonly string[];
}

export function nodeIdentities(topology: ClusterTopology): NodeIdentity[] {
  const roles = [...new Set(topology.servers.map((s) => s.role))] as ServerRole[];
  return [
    ...roles.map((role) => ({
      name: SERVER_NAME_PREFIX[role],
      kind: 'server' as const,
      of: role,
      secrets: [...new Set([...SERVICES_OF[role].flatMap(secretsOfService), ...tlsSecretsOfServerRole(topology, role)])],
    })),
    ...topology.pools.map((p) => ({ name: p.name, kind: 'pool' as const, of: p.name, secrets: [...secretsOfPoolAgents(p), ...tlsSecretsOfPool(topology, p.name)] })),
    // Task locations come from the masters' read-only endpoints; with tls.marathon the edge reads the
    // CA's certificate (public) to check Marathon's, and nothing else.
    ...(topology.cluster.edge !== undefined ? [{ name: 'edge', kind: 'edge' as const, of: 'edge', secrets: tlsSecretsOfEdge(topology) }] : []),
  ];
}
