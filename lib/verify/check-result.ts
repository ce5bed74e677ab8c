import { ClusterTopology } from '../model';
import { Transport } from './transport';

/** `ok` and `fail` count towards a whole cluster; `skip` is shown and ignored. */
export type Status = 'ok' | 'fail' | 'skip';

/** One line of the report: a server, a pool, or a check's summary. */
export interface CheckRow {
  readonly subject: string;
  readonly status: Status;
  /** What was seen, e.g. `leader`, `6/6 registered`. */
  readonly state: string;
  readonly detail?: string;
}

export interface CheckResult {
  /** `zookeeper`, `mesos-masters`, `agents`, `marathon`, `edge`, ... */
  readonly check: string;
  readonly status: Status;
  readonly summary: string;
  readonly rows: readonly CheckRow[];
}

/** A check of one part of a running cluster; extra ones (an edge proxy) plug in the same way. */
export type Check = (topology: ClusterTopology, transport: Transport) => Promise<CheckResult>;

/** `fail` when any row or the aggregate fails. */
export function statusOf(rows: readonly CheckRow[], aggregateOk: boolean): Status {
  return aggregateOk && rows.every((r) => r.status !== 'fail') ? 'ok' : 'fail';
}
