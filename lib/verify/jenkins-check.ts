import { JENKINS_FRAMEWORK_PREFIX, JenkinsMaster, jenkinsMasters } from '../apps/jenkins-master-app';
import { ClusterTopology, JENKINS_PRINCIPAL } from '../model';
import { CheckResult, CheckRow, Status } from './check-result';
import { NO_CREDENTIALS, OperatorCredentials } from './credentials';
import { asArray, askLeader } from './leader-query';
import { MasterState } from './mesos-check';
import { mesosHttps } from './mesos-https';
import { Transport } from './transport';

/** The fields of a `/master/frameworks` entry this check reads (reference/mesos/operator-api.json, master_frameworks_json). */
interface FrameworkEntry {
  readonly id: string;
  readonly name: string;
  readonly active: boolean;
  readonly connected: boolean;
  readonly recovered: boolean;
  readonly principal?: string;
  /** Seconds since the epoch; 0 for a framework recovered after a master failover. */
  readonly registered_time: number;
  readonly reregistered_time?: number;
  /** When it was removed; 0 while it is registered. */
  readonly unregistered_time: number;
}

interface Frameworks {
  readonly registered: readonly FrameworkEntry[];
  readonly completed: readonly FrameworkEntry[];
}

/** `2026-12-01T20:00:00Z`, or undefined for Mesos' "never" (0). */
function timeOf(seconds: number | undefined): string | undefined {
  return seconds ? new Date(seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z') : undefined;
}

/** A framework the master never registered, or one it removed (the master then refuses its id). */
function absentRow(cluster: string, master: JenkinsMaster, removed: FrameworkEntry | undefined): CheckRow {
  if (removed !== undefined) {
    return {
      subject: master.appId,
      status: 'fail',
      state: `removed ${timeOf(removed.unregistered_time) ?? ''}`.trim(),
      detail: `${master.frameworkId}: the leading master refuses this id ("Framework has been removed") while it remembers it, i.e. until another master leads`,
    };
  }
  return {
    subject: master.appId,
    status: 'skip',
    state: 'no framework yet',
    detail: `deploy apps/${cluster}/${master.agent.name}.marathon.json (docs/ci-platform.md#from-deploy-to-a-first-jenkins-build)`,
  };
}

/** `ok` only when connected, active and registered as principal jenkins. */
function registeredRow(master: JenkinsMaster, framework: FrameworkEntry): CheckRow {
  const connection = framework.connected ? 'connected' : framework.recovered ? 'recovered' : 'disconnected';
  const seen = [connection, framework.active ? 'active' : 'inactive'];
  const notes: string[] = [];
  if (framework.principal !== JENKINS_PRINCIPAL) {
    seen.push(`principal ${framework.principal ?? '(none)'}`);
    notes.push(`expected principal ${JENKINS_PRINCIPAL}, which the agent's framework proxy adds (docs/ci-platform.md#the-framework-proxy)`);
  }
  const subscribed = timeOf(framework.reregistered_time ?? framework.registered_time);
  // Mesos records when a framework subscribed, never when it disconnected.
  if (framework.recovered) notes.push('not re-subscribed since a master failover');
  else if (subscribed !== undefined) notes.push(`${framework.connected ? 'subscribed' : 'last subscribed'} ${subscribed}`);
  const ok = framework.connected && framework.active && framework.principal === JENKINS_PRINCIPAL;
  return { subject: master.appId, status: ok ? 'ok' : 'fail', state: seen.join(', '), detail: [master.frameworkId, ...notes].join('; ') };
}

/**
 * Each Jenkins master's Mesos framework (`jenkins-<agent>`, id `<cluster>-jenkins-<agent>`) in the
 * leading master's `/master/frameworks`. A master whose app is not deployed yet is a `skip`, so
 * verify passes on a cluster before its apps; other `jenkins-*` frameworks are listed, not counted.
 */
export async function checkJenkins(
  topology: ClusterTopology,
  transport: Transport,
  masters: readonly MasterState[],
  credentials: OperatorCredentials = NO_CREDENTIALS,
): Promise<CheckResult> {
  const answer = await askLeader<Frameworks>(
    transport,
    masters,
    {
      path: '/master/frameworks',
      what: 'list its frameworks',
      pick: (body) => {
        const registered = asArray<FrameworkEntry>(body.frameworks);
        return registered && { registered, completed: asArray<FrameworkEntry>(body.completed_frameworks) ?? [] };
      },
    },
    credentials,
    mesosHttps(topology, credentials).https,
  );
  if ('failure' in answer) return { check: 'jenkins', status: 'fail', summary: answer.failure, rows: [] };
  const { registered, completed } = answer.value;
  const expected = jenkinsMasters(topology);
  const rows: CheckRow[] = expected.map((master) => {
    const framework = registered.find((f) => f.id === master.frameworkId);
    if (framework !== undefined) return registeredRow(master, framework);
    return absentRow(topology.cluster.name, master, completed.find((f) => f.id === master.frameworkId));
  });
  const ids = new Set(expected.map((m) => m.frameworkId));
  const strays = registered.filter((f) => f.name.startsWith(JENKINS_FRAMEWORK_PREFIX) && !ids.has(f.id));
  const count = (status: Status) => rows.filter((r) => r.status === status).length;
  const [ok, failed, notYet] = [count('ok'), count('fail'), count('skip')];
  if (strays.length > 0) {
    rows.push({ subject: '(not expected)', status: 'skip', state: `${strays.length} other ${JENKINS_FRAMEWORK_PREFIX}* framework(s)`, detail: strays.map((f) => `${f.name} (${f.id})`).join(', ') });
  }
  const summary = [`${ok} of ${expected.length} Jenkins masters connected`, notYet > 0 ? `${notYet} without a framework yet` : ''].filter((s) => s !== '').join('; ');
  const status: Status = failed > 0 ? 'fail' : ok > 0 ? 'ok' : 'skip';
  return { check: 'jenkins', status, summary, rows };
}
