import { ClusterTopology } from '../model';
import { CheckResult, CheckRow, statusOf } from './check-result';
import { NO_CREDENTIALS, OperatorCredentials } from './credentials';
import { asArray, askLeader } from './leader-query';
import { MasterState } from './mesos-check';
import { mesosHttps } from './mesos-https';
import { Transport } from './transport';

/** The fields of a `/master/slaves` entry this check reads (reference/mesos/operator-api.json). */
interface SlaveEntry {
  readonly hostname: string;
  readonly attributes?: Record<string, unknown>;
  readonly active?: boolean;
  readonly deactivated?: boolean;
  readonly drain_info?: { readonly state?: string };
}

/** Agents the leading master has registered, per pool (attribute `pool`), against each pool's count. */
export async function checkAgents(
  topology: ClusterTopology,
  transport: Transport,
  masters: readonly MasterState[],
  credentials: OperatorCredentials = NO_CREDENTIALS,
): Promise<CheckResult> {
  const answer = await askLeader(transport, masters, { path: '/master/slaves', what: 'list its agents', pick: (body) => asArray<SlaveEntry>(body.slaves) }, credentials, mesosHttps(topology, credentials).https);
  if ('failure' in answer) return { check: 'agents', status: 'fail', summary: answer.failure, rows: [] };
  const slaves = answer.value;
  const rows: CheckRow[] = topology.pools.map((pool) => {
    const members = slaves.filter((s) => s.attributes?.pool === pool.name);
    const draining = members.filter((s) => s.drain_info !== undefined || s.deactivated === true);
    const disconnected = members.filter((s) => !draining.includes(s) && s.active === false);
    const serving = members.length - draining.length - disconnected.length;
    const missing = Math.max(0, pool.count - members.length);
    const notes = [
      missing > 0 ? `${missing} missing` : '',
      draining.length > 0 ? `draining: ${draining.map((s) => `${s.hostname} (${s.drain_info?.state ?? 'deactivated'})`).join(', ')}` : '',
      disconnected.length > 0 ? `disconnected: ${disconnected.map((s) => s.hostname).join(', ')}` : '',
    ].filter((n) => n !== '');
    return {
      subject: pool.name,
      status: serving >= pool.count ? 'ok' : 'fail',
      state: `${serving}/${pool.count} serving`,
      detail: notes.join('; ') || undefined,
    };
  });
  const known = new Set(topology.pools.map((p) => p.name));
  const strays = slaves.filter((s) => !known.has(String(s.attributes?.pool)));
  if (strays.length > 0) {
    rows.push({ subject: '(no pool)', status: 'skip', state: `${strays.length} other agent(s)`, detail: strays.map((s) => s.hostname).join(', ') });
  }
  const serving = rows.filter((r) => r.status === 'ok').length;
  return { check: 'agents', status: statusOf(rows, true), summary: `${serving} of ${topology.pools.length} pools at full strength`, rows };
}
