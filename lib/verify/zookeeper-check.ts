import { ClusterTopology, PORTS } from '../model';
import { CheckResult, CheckRow, statusOf } from './check-result';
import { Transport } from './transport';

/** A server's mode from `srvr`: leader, follower, standalone, or why it is not serving. */
export function zookeeperMode(answer: string): string {
  if (answer === '') return 'no answer';
  if (/not currently serving requests/.test(answer)) return 'not serving';
  if (/is not in the whitelist/.test(answer)) return 'srvr not allowed';
  return /^Mode:\s*(\w+)/m.exec(answer)?.[1] ?? 'unknown';
}

/** One `key value` line of `mntr`. */
export function mntrValue(answer: string, key: string): string | undefined {
  return new RegExp(`^${key}\\s+(\\S+)`, 'm').exec(answer)?.[1];
}

/** Every server's mode (`srvr`) and the leader's synced followers (`mntr`). */
export async function checkZookeeper(topology: ClusterTopology, transport: Transport): Promise<CheckResult> {
  const servers = topology.zookeeper.servers;
  const port = PORTS.zookeeperClient;
  const modes = await Promise.all(servers.map(async (s) => zookeeperMode(await transport.fourLetterWord(s.privateIp, port, 'srvr'))));
  const alone = servers.length === 1;
  const rows: CheckRow[] = servers.map((s, i) => ({
    subject: s.name,
    status: (alone ? modes[i] === 'standalone' : modes[i] === 'leader' || modes[i] === 'follower') ? 'ok' : 'fail',
    state: modes[i],
    detail: s.privateIp,
  }));
  const leaders = servers.filter((_, i) => modes[i] === 'leader');
  let summary: string;
  if (alone) {
    summary = modes[0] === 'standalone' ? 'standalone server serving' : `the only server is ${modes[0]}`;
  } else if (leaders.length === 1) {
    const mntr = await transport.fourLetterWord(leaders[0].privateIp, port, 'mntr');
    const synced = mntrValue(mntr, 'zk_synced_followers') ?? '?';
    summary = `leader ${leaders[0].name}, ${synced} of ${servers.length - 1} followers synced`;
  } else {
    if (modes.every((m) => m === 'no answer')) summary = 'no server answered';
    else summary = leaders.length === 0 ? 'no leader: the ensemble has lost its quorum' : `${leaders.length} leaders`;
  }
  return { check: 'zookeeper', status: statusOf(rows, alone || leaders.length === 1), summary, rows };
}
