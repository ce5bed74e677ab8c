/**
 * `npm run roll -- <cluster> [--role <role>] [--plan] [--state <show.json>] [--bastion <address>]
 *   [--user <name>] [--identity <key>] [--direct] [--credentials-file <file>] [--ready-timeout <seconds>]`
 *
 * Replaces, one at a time, the servers whose image, user data or size differ from the cluster
 * file (docs/roll.md). Exit 0 when done (or --plan printed), 1 when the roll stopped (one line),
 * 2 for a usage error.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CommandError, runCommand } from './command-exit';
import { ClusterNotFoundError, clustersDir, findCluster } from './load-cluster';
import { AGENT_DRAIN_BOUND_SECONDS } from '../model/agent-drain';
import { buildTopology, ClusterFileError, ResolvedCluster } from '../model';
import { AwsCliRefreshApi } from '../roll/aws-cli-refresh';
import { connectLiveCluster, LiveCluster } from '../roll/live-cluster';
import { rollCommand } from './roll-command';
import { DEFAULT_TIMING } from '../roll/roll-executor';
import { NoBastionError } from '../verify/cluster-transport';
import { CredentialsError } from '../verify/credentials';

const USAGE =
  'usage: npm run roll -- <cluster name or file> [--role <zookeeper|masters|marathon|<pool>|edge|bastion>] [--plan] [--state <terraform show -json file>] ' +
  '[--bastion <address>] [--user <name>] [--identity <key>] [--direct] [--credentials-file <file>] [--ready-timeout <seconds>] [--stacks-dir cdktf.out/stacks]';

function seconds(value: string | undefined, flag: string, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  if (!/^[1-9]\d{0,5}$/.test(value)) throw new CommandError(`${flag} ${JSON.stringify(value)}: expected whole seconds from 1 to 999999`, 2);
  return Number(value) * 1000;
}

async function main(argv: string[]): Promise<number> {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        role: { type: 'string' },
        plan: { type: 'boolean', default: false },
        state: { type: 'string' },
        bastion: { type: 'string' },
        user: { type: 'string', default: 'admin' },
        identity: { type: 'string', short: 'i' },
        direct: { type: 'boolean', default: false },
        'credentials-file': { type: 'string' },
        'ready-timeout': { type: 'string' },
        'stacks-dir': { type: 'string', default: 'cdktf.out/stacks' },
      },
    }));
  } catch (error) {
    throw new CommandError(`${(error as Error).message}\n${USAGE}`, 2);
  }
  if (positionals.length !== 1) throw new CommandError(`expected one cluster, got ${positionals.length}\n${USAGE}`, 2);
  let cluster: ResolvedCluster;
  try {
    cluster = findCluster(positionals[0], clustersDir());
  } catch (error) {
    if (error instanceof ClusterFileError || error instanceof ClusterNotFoundError) throw new CommandError(error.message, 2);
    throw error;
  }
  const topology = buildTopology(cluster);
  const workspace = { dir: join(resolve(values['stacks-dir']), cluster.name), env: process.env };
  const timing = { ...DEFAULT_TIMING, readyTimeoutMs: seconds(values['ready-timeout'], '--ready-timeout', DEFAULT_TIMING.readyTimeoutMs) };
  // --plan asks the cluster for its leaders only when told how to reach it; a roll always does.
  const askCluster = !values.plan || values.direct || values.bastion !== undefined;
  let live: LiveCluster | undefined;
  // Connected on first use, so that a usage error (an unknown --role) is found before the cluster is asked.
  const connect = async () =>
    (live ??= await connectLiveCluster(topology, workspace, {
      direct: values.direct,
      bastion: values.bastion,
      user: values.user,
      identity: values.identity,
      credentialsFile: values['credentials-file'],
    }));
  try {
    return await rollCommand({
      topology,
      workspace,
      role: values.role,
      planOnly: values.plan,
      stateFile: values.state,
      cluster: askCluster ? { report: async () => (await connect()).report() } : undefined,
      // An agent drains itself when stopped (mesos-agent-drain.service), and the replacement stops it first on both clouds.
      drain: async (server) => void process.stdout.write(`${server.name}: drains itself as the replacement stops it (mesos-agent-drain.service, up to ${AGENT_DRAIN_BOUND_SECONDS} s)\n`),
      refreshApi: () => new AwsCliRefreshApi(cluster.aws?.region ?? ''),
      timing,
      out: (line) => process.stdout.write(`${line}\n`),
    });
  } catch (error) {
    if (error instanceof CredentialsError || error instanceof NoBastionError) throw new CommandError(error.message, 2);
    throw error;
  } finally {
    await live?.close();
  }
}

if (require.main === module) {
  runCommand('roll', () => main(process.argv.slice(2)));
}
