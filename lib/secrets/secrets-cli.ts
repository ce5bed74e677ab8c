/**
 * `npm run secrets -- <cluster-file> [--rotate <name>]... [--kms-key-id <key>]`: generates the
 * cluster's secrets and stores them in SSM Parameter Store as SecureString parameters under
 * /mesos-cluster/<cluster>/. Runs with the operator's own AWS credentials; prints what it did
 * to each parameter, never a value. Running it again changes nothing unless told to rotate.
 */
import { parseArgs } from 'node:util';
import { buildTopology, ClusterFileError, clusterSecretsPath, loadClusterFile } from '../model';
import { CLOUD_RULES } from '../cloud-rules';
import { ensureClusterSecrets, tokenNames } from './ensure-secrets';
import { SsmSecretStore } from './ssm-store';

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
  let topology;
  try {
    topology = buildTopology(loadClusterFile(file, CLOUD_RULES));
  } catch (error) {
    if (!(error instanceof ClusterFileError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  const { cluster } = topology;
  if (cluster.aws === undefined) {
    process.stderr.write(`${file}: cloud: "${cluster.cloud}" keeps its secrets in another store (README "Secrets"); this command writes AWS SSM only\n`);
    return 1;
  }
  const rotate = new Set(parsed.values.rotate ?? []);
  const known = tokenNames(topology);
  const unknown = [...rotate].filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    process.stderr.write(`${file}: --rotate ${unknown.join(', ')}: not a secret of cluster ${cluster.name}; one of: ${known.join(', ')}\n`);
    return 2;
  }
  const store = new SsmSecretStore({
    region: cluster.aws.region,
    kmsKeyId: parsed.values['kms-key-id'],
    tags: { cluster: cluster.name, 'managed-by': 'mesos-cluster' },
  });
  try {
    const outcomes = await ensureClusterSecrets(store, topology, rotate);
    for (const { action, path } of outcomes) process.stdout.write(`${action.padEnd(7)} ${path}\n`);
    const count = (action: string) => outcomes.filter((o) => o.action === action).length;
    process.stdout.write(
      `${clusterSecretsPath(cluster.name)}: ${count('created')} created, ${count('rotated')} rotated, ${count('updated')} updated, ${count('kept')} kept\n`,
    );
    return 0;
  } catch (error) {
    const { name, message } = error as Error;
    process.stderr.write(`${file}: SSM in ${cluster.aws.region}: ${name}: ${message}\n`);
    return 1;
  } finally {
    store.close();
  }
}

main(process.argv.slice(2)).then((code) => (process.exitCode = code));
