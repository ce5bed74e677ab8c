/**
 * `npm run verify -- <cluster> [--json] [--bastion <address>] [--user <name>] [--identity <key>] [--direct] [--credentials-file <file>]`
 *
 * Checks a deployed cluster through its bastion and exits 0 only when it is whole: ZooKeeper has
 * a leader and every server serves, one Mesos master leads and a quorum has recovered its log,
 * every pool has its count of agents serving, Marathon names one leader, and each deployed Jenkins
 * master's framework is connected (one not deployed yet is shown, not counted). Exit 1 when it is not
 * whole, 2 when the command cannot run (usage, cluster file, no bastion address, no credentials).
 * Marathon and the masters are asked with the operator's credentials: from --credentials-file, or
 * from the cluster's secrets in SSM (what `npm run secrets` stored); with tls.mesos the masters
 * over HTTPS presenting the operator's client certificate `tls/operator` (docs/security.md).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildTopology, ClusterFileError } from '../model';
import { CredentialsError, operatorCredentials } from '../verify/credentials';
import { clusterTransport, NoBastionError } from '../verify/cluster-transport';
import { formatReport, reportJson } from '../verify/report';
import { Transport } from '../verify/transport';
import { verifyCluster } from '../verify/verify-cluster';
import { runCommand } from './command-exit';
import { ClusterNotFoundError, clustersDir, findCluster } from './load-cluster';

const USAGE =
  'usage: npm run verify -- <cluster name or file> [--json] [--bastion <address>] [--user <name>] [--identity <private key>] [--direct] [--credentials-file <file>]';

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  let transport: Transport | undefined;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        bastion: { type: 'string' },
        user: { type: 'string', default: 'admin' },
        identity: { type: 'string', short: 'i' },
        direct: { type: 'boolean', default: false },
        'credentials-file': { type: 'string' },
      },
    });
    if (positionals.length !== 1) throw new UsageError(`expected one cluster, got ${positionals.length}`);
    const cluster = findCluster(positionals[0], clustersDir());
    const topology = buildTopology(cluster);
    transport = await clusterTransport(values, { dir: join('cdktf.out', 'stacks', cluster.name), env: process.env });
    // After the bastion: a missing address is the cheaper thing to learn first.
    const credentials = await operatorCredentials(topology, values['credentials-file']);
    const report = await verifyCluster(topology, transport, credentials);
    process.stdout.write(values.json ? reportJson(report) : formatReport(report));
    return report.whole ? 0 : 1;
  } catch (error) {
    if (error instanceof ClusterFileError || error instanceof ClusterNotFoundError || error instanceof UsageError || error instanceof NoBastionError || error instanceof CredentialsError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  } finally {
    await transport?.close();
  }
}

runCommand('verify', () => main(process.argv.slice(2)));
