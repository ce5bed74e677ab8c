import { ClusterTopology, PORTS } from '../model';
import { CheckResult, CheckRow, statusOf } from './check-result';
import { isRefusal, NO_CREDENTIALS, OperatorCredentials, refusedState } from './credentials';
import { Transport } from './transport';

/**
 * Every Marathon server's `/v2/leader`, with Marathon's API user (it wants HTTP basic on every
 * endpoint): 200 names the leader, 404 says there is none, 401/403 names the credentials. With
 * `tls.marathon`, over HTTPS checked against the cluster CA, and without the CA's certificate the
 * password is not sent at all.
 */
export async function checkMarathon(topology: ClusterTopology, transport: Transport, credentials: OperatorCredentials = NO_CREDENTIALS): Promise<CheckResult> {
  const servers = topology.marathon.servers;
  const tls = topology.cluster.tls.marathon;
  const leaders = await Promise.all(
    servers.map(async (server): Promise<{ seen: string; leader?: string }> => {
      if (tls && credentials.clusterCa === undefined) return { seen: `HTTPS only and no cluster CA certificate (tls/ca-cert) from ${credentials.source}` };
      const https = tls ? { caPem: credentials.clusterCa! } : undefined;
      const answer = await transport.httpGet(server.privateIp, tls ? PORTS.marathonHttps : PORTS.marathonHttp, '/v2/leader', credentials.marathon, https);
      if (answer === undefined) return { seen: 'no answer' };
      if (isRefusal(answer.status)) return { seen: refusedState(answer.status, credentials.marathon, credentials.source) };
      if (answer.status === 404) return { seen: 'no leader' };
      try {
        const leader = answer.status === 200 ? JSON.parse(answer.body).leader : undefined;
        return typeof leader === 'string' ? { seen: `leader ${leader}`, leader } : { seen: `HTTP ${answer.status}` };
      } catch {
        return { seen: `HTTP ${answer.status}, not JSON` };
      }
    }),
  );
  const rows: CheckRow[] = servers.map((server, i) => ({
    subject: server.name,
    status: leaders[i].leader !== undefined ? 'ok' : 'fail',
    state: leaders[i].seen,
    detail: server.privateIp,
  }));
  const named = [...new Set(leaders.map((l) => l.leader).filter((l): l is string => l !== undefined))];
  const byAddress = (address: string) => servers.find((s) => address.startsWith(`${s.privateIp}:`) || address.startsWith(`${s.name}:`))?.name ?? address;
  const summary = named.length === 1 ? `leader ${byAddress(named[0])}` : named.length === 0 ? 'no leader' : `servers disagree: ${named.join(', ')}`;
  return { check: 'marathon', status: statusOf(rows, named.length === 1), summary, rows };
}
