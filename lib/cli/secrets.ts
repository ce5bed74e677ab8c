/**
 * `npm run secrets -- <cluster-file> [--rotate <name>]... [--kms-key-id <key>]`: generates the
 * cluster's secrets and stores them under /mesos-cluster/<cluster>/ in the cloud's store: SSM
 * Parameter Store (SecureString) on AWS, Barbican on OpenStack. Runs with the operator's own
 * credentials; prints what it did to each secret, never a value. Running it again changes
 * nothing unless told to rotate. What to create, keep, rotate or update is decided once
 * (ensure-secrets.ts); the stores only get and put.
 */
import { parseArgs } from 'node:util';
import { clusterSecretsPath, ResolvedCluster } from '../model';
import { BarbicanSecretStore, KEY_MANAGER_SERVICE } from '../secrets/barbican-store';
import { ensureClusterSecrets, rotatableNames } from '../secrets/ensure-secrets';
import { keystoneCredentials, KeystoneCredentialsError } from '../secrets/keystone-credentials';
import { OpenstackApiError, openServiceSession } from '../secrets/keystone-session';
import { SecretStore } from '../secrets/secret-store';
import { SsmSecretStore } from '../secrets/ssm-store';
import { runCommand } from './command-exit';
import { loadClusterTopology } from './load-cluster';

const USAGE = 'usage: npm run secrets -- <cluster-file> [--rotate <name>]... [--kms-key-id <key id, ARN or alias>]';

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { rotate: { type: 'string', multiple: true }, 'kms-key-id': { type: 'string' } },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (parsed.positionals.length !== 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const [file] = parsed.positionals;
  const topology = loadClusterTopology(file);
  const { cluster } = topology;
  if (cluster.aws === undefined && parsed.values['kms-key-id'] !== undefined) {
    process.stderr.write(`${file}: --kms-key-id is for AWS SSM; Barbican encrypts with the key its deployment is configured with\n${USAGE}\n`);
    return 2;
  }
  const rotate = new Set(parsed.values.rotate ?? []);
  const known = rotatableNames(topology);
  const unknown = [...rotate].filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    process.stderr.write(`${file}: --rotate ${unknown.join(', ')}: not a secret of cluster ${cluster.name}; one of: ${known.join(', ')}\n`);
    return 2;
  }
  let opened: OpenedStore | undefined;
  try {
    opened = await openStore(cluster, parsed.values['kms-key-id']);
    const outcomes = await ensureClusterSecrets(opened.store, topology, rotate);
    for (const { action, path } of outcomes) process.stdout.write(`${action.padEnd(7)} ${path}\n`);
    const count = (action: string) => outcomes.filter((o) => o.action === action).length;
    process.stdout.write(
      `${clusterSecretsPath(cluster.name)}: ${count('created')} created, ${count('rotated')} rotated, ${count('updated')} updated, ${count('kept')} kept\n`,
    );
    return 0;
  } catch (error) {
    // OpenStack's errors are one line already (Keystone or Barbican, the URL, the answer).
    if (error instanceof KeystoneCredentialsError || error instanceof OpenstackApiError) process.stderr.write(`${file}: ${error.message}\n`);
    else if (cluster.aws !== undefined) process.stderr.write(`${file}: SSM in ${cluster.aws.region}: ${(error as Error).name}: ${String((error as Error).message).split('\n')[0]}\n`);
    else throw error;
    return 1;
  } finally {
    opened?.close();
  }
}

interface OpenedStore {
  readonly store: SecretStore;
  close(): void;
}

/** The cloud's store, reached with the operator's credentials from the environment. */
async function openStore(cluster: ResolvedCluster, kmsKeyId: string | undefined): Promise<OpenedStore> {
  if (cluster.aws !== undefined) {
    const store = new SsmSecretStore({ region: cluster.aws.region, kmsKeyId, tags: { cluster: cluster.name, 'managed-by': 'mesos-cluster' } });
    return { store, close: () => store.close() };
  }
  const credentials = keystoneCredentials();
  // The cluster's region first: the nodes look there (fetch-secrets' region argument).
  const session = await openServiceSession(credentials, KEY_MANAGER_SERVICE, cluster.openstack?.region ?? credentials.region);
  return { store: new BarbicanSecretStore(session), close: () => undefined };
}

runCommand('secrets', () => main(process.argv.slice(2)));
