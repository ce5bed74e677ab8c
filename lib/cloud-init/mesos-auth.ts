import { AgentPoolTopology, agentPrincipal, ClusterTopology, executorKeySecret, MASTER_CREDENTIALS_SECRET, secretsOfPool, ZK_DIGEST_USERS, zkUrlWithCredentials } from '../model';
import { MesosFlags } from './mesos-flag-files';
import { placeholder, SecretFile, secretPath } from './secret-files';

/**
 * Authentication of Mesos 1.11 (reference/mesos/mesos-flags.json): frameworks and agents with
 * CRAM-MD5, HTTP with basic authentication, every credential in a file fetched at boot.
 */
export const MASTER_SECRET_FILES = {
  /** `--zk=file://...`: the URL with the digest user of /mesos, never on a command line. */
  zkUrl: secretPath('mesos-zk-url'),
  /** `--credentials`: every principal; used for CRAM-MD5 and for HTTP basic. */
  credentials: secretPath('mesos-credentials.json'),
} as const;

export const AGENT_SECRET_FILES = {
  /** `--credential`: the pool's principal, to register with the masters. */
  credential: secretPath('mesos-agent-credential.json'),
  /** `--http_credentials`: the same principal guards the agent's own endpoints. */
  httpCredentials: secretPath('mesos-agent-http-credentials.json'),
  /** `--jwt_secret_key`: signs each executor's token (MESOS_EXECUTOR_AUTHENTICATION_TOKEN). */
  jwtSecretKey: secretPath('mesos-agent-jwt-key'),
} as const;

/** Not secret (names only): in user-data, read by the masters' `--acls`. */
export const MASTER_ACLS_FILE = '/etc/mesos-cluster/mesos-acls.json';

export function masterAuthFlags(): MesosFlags {
  return {
    zk: `file://${MASTER_SECRET_FILES.zkUrl}`,
    authenticate_frameworks: true,
    authenticate_agents: true,
    // The v1 scheduler API would otherwise register frameworks without credentials.
    authenticate_http_frameworks: true,
    http_framework_authenticators: 'basic',
    authenticate_http_readwrite: true,
    // --authenticate_http_readonly stays off: the web UI through the load balancer and its
    // leader-only health check (/master/roles) read without credentials; the ACLs keep views
    // read-only and give every action to named principals.
    credentials: MASTER_SECRET_FILES.credentials,
    acls: `file://${MASTER_ACLS_FILE}`,
  };
}

export function agentAuthFlags(): MesosFlags {
  return {
    credential: AGENT_SECRET_FILES.credential,
    http_credentials: AGENT_SECRET_FILES.httpCredentials,
    // Only masters reach an agent's port, and none of them needs its HTTP endpoints; a build on
    // this agent must not launch, attach to or kill the other builds' containers through it.
    authenticate_http_readwrite: true,
    authenticate_http_readonly: true,
    // HTTP executors (the default executor of task groups and Marathon pods, the command
    // executor) call the agent's API too: with read-write authentication on they must
    // authenticate, which they do with a token the agent signs with this key (JWT, HMAC-SHA256)
    // and hands them in their environment. SSL builds of Mesos only (image/mesos-package).
    authenticate_http_executors: true,
    jwt_secret_key: AGENT_SECRET_FILES.jwtSecretKey,
  };
}

const json = (value: unknown) => JSON.stringify(value);

/**
 * The credentials are one stored document (see MASTER_CREDENTIALS_SECRET), not a template:
 * a new pool's principal reaches running masters by fetching it again, without new user-data.
 */
export function masterSecretFiles(topology: ClusterTopology): SecretFile[] {
  const { user, secret } = ZK_DIGEST_USERS.mesos;
  return [
    { path: MASTER_SECRET_FILES.zkUrl, template: zkUrlWithCredentials(topology.zookeeper.connectString, '/mesos', user, placeholder(secret)), mode: '0400', owner: 'root:root' },
    { path: MASTER_SECRET_FILES.credentials, template: placeholder(MASTER_CREDENTIALS_SECRET), mode: '0400', owner: 'root:root' },
  ];
}

export function agentSecretFiles(pool: AgentPoolTopology): SecretFile[] {
  const [secret] = secretsOfPool(pool.name);
  const credential = { principal: agentPrincipal(pool.name), secret: placeholder(secret) };
  return [
    { path: AGENT_SECRET_FILES.credential, template: json(credential), mode: '0400', owner: 'root:root' },
    { path: AGENT_SECRET_FILES.httpCredentials, template: json({ credentials: [credential] }), mode: '0400', owner: 'root:root' },
    { path: AGENT_SECRET_FILES.jwtSecretKey, template: placeholder(executorKeySecret(pool.name)), mode: '0400', owner: 'root:root' },
  ];
}
