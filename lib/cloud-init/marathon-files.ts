import { ClusterTopology, MARATHON_HTTP_USER, MARATHON_KEYSTORE_PASSWORD_SECRET, MARATHON_PRINCIPAL, PORTS, QuorumServer, ZK_DIGEST_USERS, zkUrlWithCredentials } from '../model';
import { MARATHON_DEFAULTS, MARATHON_MESOS_ROLE } from './layout';
import { serverTlsSettings, TLS_FILES } from './libprocess-tls-files';
import { placeholder, SecretFile, secretPath } from './secret-files';
import { renderTemplate } from './templates';
import { configFile, WriteFile } from './write-file';

/** [name, value, why]; an empty value is a bare switch. */
export type MarathonSetting = readonly [string, string, string?];

export const MARATHON_SECRET_FILES = {
  /** `--mesos_authentication_secret_file`: read as is, so written without a newline. */
  mesosSecret: secretPath('marathon-mesos-secret'),
  /** MARATHON_ZK and MARATHON_HTTP_CREDENTIALS (with tls.marathon the keystore's password too), loaded by a unit drop-in. */
  environment: secretPath('marathon.env'),
  /** With tls.marathon: the keystore's password alone, for make-marathon-keystore (root). */
  keystorePassword: secretPath('marathon-keystore-password'),
  /** With tls.marathon: made at boot from TLS_FILES.server, never stored. */
  keystore: secretPath('marathon-keystore.p12'),
} as const;

export const MARATHON_SECRETS_DROP_IN = '/etc/systemd/system/marathon.service.d/mesos-cluster-secrets.conf';

export function marathonSettings(topology: ClusterTopology, server: QuorumServer): MarathonSetting[] {
  return [
    // Read-only: the masters' znodes are world-readable.
    ['MARATHON_MASTER', topology.mesos.zkUrl],
    ['MARATHON_MESOS_ROLE', MARATHON_MESOS_ROLE, 'Offers of the agents reserved for Marathon, so Jenkins frameworks cannot starve it.'],
    ['MARATHON_MESOS_AUTHENTICATION', '', 'Registers with the masters as its own principal (CRAM-MD5), the only one the ACLs let use its role.'],
    ['MARATHON_MESOS_AUTHENTICATION_PRINCIPAL', MARATHON_PRINCIPAL],
    ['MARATHON_MESOS_AUTHENTICATION_SECRET_FILE', MARATHON_SECRET_FILES.mesosSecret],
    ['MARATHON_HA', '', 'A toggle: the bare switch turns HA on (MARATHON_HA=true would be a stray argument).'],
    ['MARATHON_HOSTNAME', server.privateIp, 'Advertised to Mesos and to the other Marathons: names are not in DNS.'],
    ...marathonHttpSettings(topology),
    ['MARATHON_MESOS_USER', 'root', 'As the package ships it: tasks run as root unless the app says otherwise.'],
    ['LIBPROCESS_IP', server.privateIp, 'The scheduler driver binds here and the masters call back to it.'],
    ['LIBPROCESS_PORT', String(PORTS.marathonLibprocess), 'Pinned so the security groups can open exactly this port from the masters.'],
    ['MESOS_NATIVE_JAVA_LIBRARY', '/usr/lib/libmesos.so'],
    ['JAVA_HOME', '/usr/lib/jvm/java-8', 'Marathon 1.10 needs Java 8; ZooKeeper uses the default Java 17 (docs/base-image.md).'],
    // The scheduler driver is libprocess too: the masters call it back over TLS.
    ...serverTlsSettings(topology),
  ];
}

/**
 * With tls.marathon, HTTPS only: the API's basic password never crosses in clear. The keystore's
 * password is in the secrets' environment file (marathonSecretFiles), not here: this file is world-readable.
 */
function marathonHttpSettings(topology: ClusterTopology): MarathonSetting[] {
  if (!topology.cluster.tls.marathon) return [['MARATHON_HTTP_PORT', String(PORTS.marathonHttp)]];
  return [
    ['MARATHON_HTTPS_PORT', String(PORTS.marathonHttps)],
    ['MARATHON_SSL_KEYSTORE_PATH', MARATHON_SECRET_FILES.keystore, "Made at boot from the role's certificate (make-marathon-keystore)."],
    ['MARATHON_DISABLE_HTTP', '', 'A presence flag: no plain-HTTP listener, so the basic password never crosses in clear.'],
  ];
}

/** The boot step that makes Marathon's keystore, after fetch-secrets and before Marathon starts. */
export function marathonKeystoreStep(topology: ClusterTopology): (readonly string[])[] {
  if (!topology.cluster.tls.marathon) return [];
  return [['make-marathon-keystore', TLS_FILES.server, MARATHON_SECRET_FILES.keystorePassword, MARATHON_SECRET_FILES.keystore, 'marathon:marathon']];
}

/** With tls.marathon, Marathon's readiness over HTTPS (await-ready probes plain HTTP only). */
export function marathonHttpsReadyStep(topology: ClusterTopology): (readonly string[])[] {
  if (!topology.cluster.tls.marathon) return [];
  return [['await-marathon-https', String(PORTS.marathonHttps), TLS_FILES.ca, MARATHON_SECRET_FILES.environment]];
}

/**
 * MARATHON_ZK with the digest user of /marathon (Marathon then creates its znodes with
 * CREATOR_ALL_ACL) and the API's basic credentials. Environment, not arguments: Marathon turns
 * MARATHON_* into options inside the JVM, so neither shows in the process list.
 */
export function marathonSecretFiles(topology: ClusterTopology): SecretFile[] {
  const { user, secret } = ZK_DIGEST_USERS.marathon;
  const environment = [
    `MARATHON_ZK=${zkUrlWithCredentials(topology.zookeeper.connectString, '/marathon', user, placeholder(secret))}`,
    `MARATHON_HTTP_CREDENTIALS=${MARATHON_HTTP_USER}:${placeholder('marathon/http-password')}`,
    ...(topology.cluster.tls.marathon ? [`MARATHON_SSL_KEYSTORE_PASSWORD=${placeholder(MARATHON_KEYSTORE_PASSWORD_SECRET)}`] : []),
  ].join('\n');
  const keystorePassword: SecretFile[] = topology.cluster.tls.marathon
    ? [{ path: MARATHON_SECRET_FILES.keystorePassword, template: placeholder(MARATHON_KEYSTORE_PASSWORD_SECRET), mode: '0400', owner: 'root:root' }]
    : [];
  return [
    { path: MARATHON_SECRET_FILES.mesosSecret, template: placeholder('marathon/mesos-secret'), mode: '0400', owner: 'marathon:marathon' },
    { path: MARATHON_SECRET_FILES.environment, template: `${environment}\n`, mode: '0600', owner: 'root:root' },
    ...keystorePassword,
  ];
}

export function marathonFiles(topology: ClusterTopology, server: QuorumServer): WriteFile[] {
  const settings = marathonSettings(topology, server);
  return [
    configFile(MARATHON_DEFAULTS, renderTemplate('marathon/marathon.env.ejs', { node: server.name, settings })),
    configFile(MARATHON_SECRETS_DROP_IN, renderTemplate('marathon/secrets-drop-in.conf.ejs', { environment: MARATHON_SECRET_FILES.environment })),
  ];
}
