import { ClusterTopology, PORTS, QuorumServer } from '../model';
import { CheckResult, CheckRow, statusOf } from './check-result';
import { isRefusal, NO_CREDENTIALS, OperatorCredentials, refusedState } from './credentials';
import { noHttpsAnswer } from './messages';
import { mesosHttps } from './mesos-https';
import { Transport } from './transport';

export interface MasterState {
  readonly master: QuorumServer;
  readonly answered: boolean;
  readonly elected: boolean;
  readonly recovered: boolean;
  /** Why it did not answer, when it refused the credentials or the operator's certificate. */
  readonly refused?: string;
  /** Why it was not asked at all (tls.mesos without the operator's certificate): the same for every master. */
  readonly notAsked?: string;
}

/**
 * Each master's own `/metrics/snapshot` (every master answers for itself, leader or not), as the
 * operator principal when its credentials are known: read-only endpoints need none today, but
 * would with --authenticate_http_readonly. With `tls.mesos`, over HTTPS with the operator's
 * client certificate, or not at all without it (mesos-https.ts).
 */
export async function masterStates(topology: ClusterTopology, transport: Transport, credentials: OperatorCredentials = NO_CREDENTIALS): Promise<MasterState[]> {
  const { https, missing } = mesosHttps(topology, credentials);
  return Promise.all(
    topology.mesos.masters.map(async (master) => {
      if (missing !== undefined) return { master, answered: false, elected: false, recovered: false, notAsked: missing };
      const answer = await transport.httpGet(master.privateIp, PORTS.mesosMaster, '/metrics/snapshot', credentials.mesos, https);
      let metrics: Record<string, number> = {};
      try {
        if (answer?.status === 200) metrics = JSON.parse(answer.body);
      } catch {
        metrics = {};
      }
      return {
        master,
        answered: answer?.status === 200,
        elected: metrics['master/elected'] === 1,
        recovered: metrics['registrar/log/recovered'] === 1,
        refused: answer && isRefusal(answer.status) ? refusedState(answer.status, credentials.mesos, credentials.source) : answer === undefined && https ? noHttpsAnswer(credentials.source) : undefined,
      };
    }),
  );
}

/** One elected master, and a quorum of masters whose replicated log has recovered. */
export function checkMasters(topology: ClusterTopology, states: readonly MasterState[]): CheckResult {
  const rows: CheckRow[] = states.map((s) => ({
    subject: s.master.name,
    status: s.answered ? 'ok' : 'fail',
    state: s.answered ? `${s.elected ? 'leader' : 'standby'}, log ${s.recovered ? 'recovered' : 'not recovered'}` : s.notAsked !== undefined ? 'not asked' : (s.refused ?? 'no answer'),
    detail: s.master.privateIp,
  }));
  const elected = states.filter((s) => s.elected);
  const recovered = states.filter((s) => s.recovered).length;
  const quorum = topology.mesos.quorum;
  const leader = elected.length === 1 ? `leader ${elected[0].master.name}` : elected.length === 0 ? 'no leader' : `${elected.length} leaders`;
  const notAsked = states.find((s) => s.notAsked !== undefined)?.notAsked;
  const summary = notAsked ?? `${leader}; ${recovered} of ${states.length} logs recovered (quorum ${quorum})`;
  return { check: 'mesos-masters', status: statusOf(rows, elected.length === 1 && recovered >= quorum), summary, rows };
}
