import { readFileSync } from 'node:fs';
import { CLUSTER_CA_CERT_SECRET, ClusterTopology, clusterSecretsPath, MARATHON_HTTP_PASSWORD_SECRET, MARATHON_HTTP_USER, mesosPrincipals, OPERATOR_TLS_SECRET } from '../model';
import { parseBundle } from '../secrets/cluster-ca';
import { SecretStore } from '../secrets/secret-store';
import { SsmSecretStore } from '../secrets/ssm-store';
import { notAClientCertificate } from './messages';
import { ClientCertificate, HttpCredentials } from './transport';

/**
 * The operator's HTTP credentials verify sends: Marathon's API user (Marathon wants HTTP basic on
 * every endpoint) and the Mesos `operator` principal (masters want it on read-write endpoints,
 * and on all of them if --authenticate_http_readonly is ever turned on).
 */
export interface OperatorCredentials {
  readonly marathon?: HttpCredentials;
  readonly mesos?: HttpCredentials;
  /** With `tls.mesos`: the cluster CA's certificate (PEM) the masters' and Marathon's HTTPS answers are checked against. */
  readonly clusterCa?: string;
  /** With `tls.mesos`: the operator's client certificate (`tls/operator`), which the masters require. */
  readonly mesosClient?: ClientCertificate;
  /** Where they came from, for the report: `SSM /mesos-cluster/ci-aws`, a file name, or none. */
  readonly source: string;
}

export const NO_CREDENTIALS: OperatorCredentials = { source: 'no credentials' };

/** The secrets verify reads, by their names in the store (docs/secrets.md). */
export function operatorSecretNames(topology: ClusterTopology): { marathon: string; mesos: string } {
  const operator = mesosPrincipals(topology).find((p) => p.kind === 'operator')!;
  return { marathon: MARATHON_HTTP_PASSWORD_SECRET, mesos: operator.secret };
}

export class CredentialsError extends Error {}

function fromValues(topology: ClusterTopology, valueOf: (name: string) => string | undefined, source: string): OperatorCredentials {
  const names = operatorSecretNames(topology);
  const operator = mesosPrincipals(topology).find((p) => p.kind === 'operator')!.principal;
  const marathon = valueOf(names.marathon);
  const mesos = valueOf(names.mesos);
  // tls.marathon needs tls.mesos (validation), so the CA's certificate serves both.
  const tls = topology.cluster.tls.mesos ? { clusterCa: valueOf(CLUSTER_CA_CERT_SECRET), mesosClient: clientCertificate(valueOf(OPERATOR_TLS_SECRET), source) } : {};
  return {
    marathon: marathon === undefined ? undefined : { user: MARATHON_HTTP_USER, password: marathon },
    mesos: mesos === undefined ? undefined : { user: operator, password: mesos },
    ...tls,
    source,
  };
}

/** `tls/operator` as stored: its certificate and key, or a one-line error when it is something else. */
function clientCertificate(value: string | undefined, source: string): ClientCertificate | undefined {
  if (value === undefined) return undefined;
  const bundle = parseBundle(value);
  if (bundle === undefined) throw new CredentialsError(notAClientCertificate(source));
  return bundle;
}

/**
 * `--credentials-file`: a JSON object of secret name to value, e.g.
 * `{"marathon/http-password": "...", "operator/mesos-secret": "..."}` (mode 0600, kept off the repository);
 * with `tls.mesos` also `"tls/ca-cert"`, the cluster CA's certificate (public, but needed to trust the
 * masters and Marathon), and `"tls/operator"`, the operator's client certificate and key (PEM, as stored).
 */
export function readCredentialsFile(topology: ClusterTopology, file: string): OperatorCredentials {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CredentialsError(`${file}: cannot read it as JSON (${(error as Error).message.split('\n')[0]})`);
  }
  const names = operatorSecretNames(topology);
  const values = (parsed ?? {}) as Record<string, unknown>;
  for (const name of [names.marathon, names.mesos]) {
    if (typeof parsed !== 'object' || Array.isArray(parsed) || typeof values[name] !== 'string' || values[name] === '') {
      throw new CredentialsError(`${file}: ${name}: expected a non-empty string (a JSON object of secret name to value)`);
    }
  }
  return fromValues(topology, (name) => values[name] as string, file);
}

/** The operator's credentials from the cluster's store (what `npm run secrets` wrote). */
export async function credentialsFromStore(topology: ClusterTopology, store: SecretStore): Promise<OperatorCredentials> {
  const prefix = clusterSecretsPath(topology.cluster.name);
  const names = operatorSecretNames(topology);
  const tls = topology.cluster.tls.mesos;
  const [marathon, mesos, clusterCa, operatorTls] = await Promise.all([
    store.get(`${prefix}/${names.marathon}`),
    store.get(`${prefix}/${names.mesos}`),
    tls ? store.get(`${prefix}/${CLUSTER_CA_CERT_SECRET}`) : undefined,
    tls ? store.get(`${prefix}/${OPERATOR_TLS_SECRET}`) : undefined,
  ]);
  const values: Record<string, string | undefined> = { [names.marathon]: marathon, [names.mesos]: mesos, [CLUSTER_CA_CERT_SECRET]: clusterCa, [OPERATOR_TLS_SECRET]: operatorTls };
  return fromValues(topology, (name) => values[name], prefix);
}

/** A row's state when a server refused the request for want of (valid) credentials. */
export function refusedState(status: number, credentials: HttpCredentials | undefined, source: string): string {
  return credentials === undefined
    ? `HTTP ${status}: credentials required and none given (--credentials-file, or the cluster's secrets in the store)`
    : `HTTP ${status}: ${credentials.user}'s credentials from ${source} refused`;
}

export const isRefusal = (status: number | undefined) => status === 401 || status === 403;

/** The operator's credentials: the file given, else the cluster's SSM secrets (AWS). `verify` and `roll` read them so. */
export async function operatorCredentials(topology: ClusterTopology, file: string | undefined): Promise<OperatorCredentials> {
  if (file !== undefined) return readCredentialsFile(topology, file);
  const aws = topology.cluster.aws;
  if (aws === undefined) return NO_CREDENTIALS;
  const store = new SsmSecretStore({ region: aws.region, tags: {} });
  try {
    return await credentialsFromStore(topology, store);
  } catch (error) {
    if (error instanceof CredentialsError) throw error;
    const { name, message } = error as Error;
    throw new CredentialsError(
      `SSM in ${aws.region}: ${clusterSecretsPath(topology.cluster.name)}: ${name}: ${message.split('\n')[0]}; pass --credentials-file <file> instead`,
    );
  } finally {
    store.close();
  }
}
