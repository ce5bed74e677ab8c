import { ClusterReport } from './roll-executor';
import { Leaders } from './roll-types';

/**
 * Who leads, from the `verify` checks' rows: ZooKeeper's `srvr` mode `leader`, the elected Mesos
 * master (`leader, log ...`), Marathon's `leader <name>` summary.
 */
export function leadersFrom(report: ClusterReport): Leaders {
  const rows = (check: string) => report.checks.find((c) => c.check === check)?.rows ?? [];
  const zookeeper = rows('zookeeper').find((r) => r.state === 'leader')?.subject;
  const mesos = rows('mesos-masters').find((r) => r.state.startsWith('leader'))?.subject;
  const marathon = /^leader (\S+)$/.exec(report.checks.find((c) => c.check === 'marathon')?.summary ?? '')?.[1];
  return { zookeeper, mesos, marathon };
}
