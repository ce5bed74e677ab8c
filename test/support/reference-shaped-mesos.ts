/**
 * A STAND-IN Mesos master on loopback that answers from the hand-written, reference-shaped responses in test/fixtures/mesos
 * (shapes from reference/mesos/operator-api.json), with just enough state for a drain and for
 * verify: the agents and frameworks it lists, who leads, and how many polls a drain takes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IncomingMessage } from 'node:http';
import { CLOUD_RULES } from '../../lib/cli/cloud-registry';
import { mesosAcls } from '../../lib/cloud-init/mesos-acls';
import { buildTopology, parseClusterFile } from '../../lib/model';
import { basicAuthPrincipal, LoopbackServer, Reply, startLoopbackServer, UNAUTHORIZED } from './loopback-http';
import { actionsFor, authorized, FORBIDDEN } from './mesos-local-authorizer';

const FIXTURES = join(__dirname, '..', 'fixtures', 'mesos');
export const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));

/** The secret each principal has on the stand-in masters (letters and digits, as npm run secrets makes them). */
export const testMesosSecret = (principal: string) => `test${principal.replace(/[^A-Za-z0-9]/g, '')}Secret`;

export type DrainState = 'DRAINING' | 'DRAINED';

export interface StandInAgent {
  readonly id: string;
  /** Agents report their address as hostname (agent-identity). */
  readonly hostname: string;
  readonly pool: string;
  /** @default true */
  active?: boolean;
  drain?: { state: DrainState; markGone: boolean; maxGraceSeconds?: number };
  /** CPUs it offers (`resources.cpus`). @default the fixture's 8 */
  cpus?: number;
  /** CPUs allocated to its tasks and executors (`used_resources.cpus`). @default 0 */
  usedCpus?: number;
}

/** One v1 `GET_AGENTS` entry for the agent, from the fixture's. */
export function getAgentsEntry(agent: StandInAgent): any {
  const entry = fixture('get-agents-agent.json');
  entry.agent_info.hostname = agent.hostname;
  entry.agent_info.id.value = agent.id;
  entry.agent_info.attributes = [{ name: 'pool', type: 'TEXT', text: { value: agent.pool } }];
  entry.pid = `slave(1)@${agent.hostname}:5051`;
  entry.active = agent.active ?? true;
  entry.deactivated = agent.drain !== undefined;
  if (agent.drain) {
    const config: any = { mark_gone: agent.drain.markGone };
    if (agent.drain.maxGraceSeconds !== undefined) config.max_grace_period = { nanoseconds: agent.drain.maxGraceSeconds * 1e9 };
    entry.drain_info = { state: agent.drain.state, config };
  }
  return entry;
}

/** One `/master/slaves` entry for the agent, from the fixture's. */
export function masterSlavesEntry(agent: StandInAgent): any {
  const entry = fixture('master-slaves-slave.json');
  Object.assign(entry, { id: agent.id, hostname: agent.hostname, attributes: { pool: agent.pool }, pid: `slave(1)@${agent.hostname}:5051` });
  entry.active = agent.active ?? true;
  entry.deactivated = agent.drain !== undefined;
  if (agent.drain) entry.drain_info = { state: agent.drain.state, config: { mark_gone: agent.drain.markGone } };
  if (agent.cpus !== undefined) entry.resources.cpus = agent.cpus;
  if (agent.usedCpus !== undefined) entry.used_resources.cpus = agent.usedCpus;
  return entry;
}

/** How a framework stands with the master (reference: master_frameworks_json.framework_states). */
export type FrameworkState = 'CONNECTED' | 'DISCONNECTED' | 'RECOVERED';

export interface StandInFramework {
  readonly id: string;
  readonly name: string;
  /** @default 'jenkins'; null for a framework registered without one */
  readonly principal?: string | null;
  /** @default 'CONNECTED' */
  readonly state?: FrameworkState;
  /** A connected framework that deactivated itself. @default false */
  readonly deactivated?: boolean;
  /** Seconds since the epoch of its last subscription; recovered ones have none. @default the fixture's */
  readonly subscribedSeconds?: number;
  /** Seconds since the epoch when the master removed it (a completed framework). */
  readonly removedSeconds?: number;
}

/** One `/master/frameworks` entry for the framework, from the fixture's. */
export function masterFrameworksEntry(framework: StandInFramework): any {
  const entry = fixture('master-frameworks-framework.json');
  const state = framework.state ?? 'CONNECTED';
  Object.assign(entry, {
    id: framework.id,
    name: framework.name,
    connected: state === 'CONNECTED',
    recovered: state === 'RECOVERED',
    active: state === 'CONNECTED' && !framework.deactivated,
    registered_time: state === 'RECOVERED' ? 0 : (framework.subscribedSeconds ?? entry.registered_time),
    unregistered_time: framework.removedSeconds ?? 0,
  });
  if (framework.principal === null) delete entry.principal;
  else if (framework.principal !== undefined) entry.principal = framework.principal;
  return entry;
}

/** The `/master/frameworks` body: registered and removed frameworks. */
export function masterFrameworksBody(registered: readonly StandInFramework[], completed: readonly StandInFramework[] = []): any {
  return { frameworks: registered.map(masterFrameworksEntry), completed_frameworks: completed.map(masterFrameworksEntry), unregistered_frameworks: [] };
}

export interface MasterOptions {
  agents?: StandInAgent[];
  /** Registered frameworks (`/master/frameworks` `frameworks`). @default none */
  frameworks?: StandInFramework[];
  /** Removed frameworks the master remembers (`completed_frameworks`). @default none */
  completedFrameworks?: StandInFramework[];
  elected?: boolean;
  /** `registrar/log/recovered`. @default true */
  recovered?: boolean;
  /** GET_AGENTS answers an agent stays DRAINING before it is DRAINED. @default 1 */
  drainPolls?: number;
  /** Principals the masters know (`--credentials`), each with testMesosSecret. @default operator and the example's pools */
  principals?: string[];
  /** Read-only endpoints want credentials too (--authenticate_http_readonly). @default false */
  readonlyAuth?: boolean;
  /** The masters' --acls: calls they refuse are answered 403. @default the example AWS cluster's rendered ACLs */
  acls?: Record<string, unknown>;
}

/** The --acls the masters of clusters/ci-aws.yaml are rendered with. */
function exampleAcls(): Record<string, unknown> {
  const file = join(__dirname, '..', '..', 'clusters', 'ci-aws.yaml');
  return mesosAcls(buildTopology(parseClusterFile('ci-aws.yaml', readFileSync(file, 'utf8'), CLOUD_RULES)));
}

export class ReferenceShapedMesosMaster {
  readonly calls: any[] = [];
  /** The authenticated principal of each v1 call, in order. */
  readonly callers: string[] = [];
  /** Requests to /api/v1 refused for want of valid credentials. */
  unauthorized = 0;
  principals: string[];
  readonlyAuth: boolean;
  acls: Record<string, unknown>;
  /** v1 calls refused with 403 by the ACLs, as `TYPE by principal`. */
  readonly forbidden: string[] = [];
  agents: StandInAgent[];
  frameworks: StandInFramework[];
  completedFrameworks: StandInFramework[];
  elected: boolean;
  recovered: boolean;
  drainPolls: number;
  /** `host:port` of the leader, which /master/redirect names; undefined while none is elected. */
  leader?: string;
  /** Called after a DRAIN_AGENT is accepted, e.g. to move leadership mid-drain. */
  onDrain?: () => void;
  private polls = new Map<string, number>();

  private constructor(private readonly server: LoopbackServer, options: MasterOptions) {
    this.agents = options.agents ?? [];
    this.frameworks = options.frameworks ?? [];
    this.completedFrameworks = options.completedFrameworks ?? [];
    this.elected = options.elected ?? false;
    this.recovered = options.recovered ?? true;
    this.drainPolls = options.drainPolls ?? 1;
    this.principals = options.principals ?? ['operator', 'agent-builds', 'agent-jenkins-masters'];
    this.readonlyAuth = options.readonlyAuth ?? false;
    this.acls = options.acls ?? exampleAcls();
    if (this.elected) this.leader = server.address;
  }

  static async start(options: MasterOptions = {}): Promise<ReferenceShapedMesosMaster> {
    let master: ReferenceShapedMesosMaster | undefined;
    const server = await startLoopbackServer((request, body) => master!.handle(request, body));
    master = new ReferenceShapedMesosMaster(server, options);
    return master;
  }

  get address(): string {
    return this.server.address;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  /** The v1 calls received, by type. */
  callsOf(type: string): any[] {
    return this.calls.filter((c) => c.type === type);
  }

  private notLeader(path: string): Reply {
    return this.leader ? { status: 307, headers: { Location: `//${this.leader}${path}` } } : { status: 503, body: 'No leader elected' };
  }

  private handle(request: IncomingMessage, body: string): Reply {
    const [method, path, contentType] = [request.method ?? '', request.url ?? '', request.headers['content-type']];
    const principal = basicAuthPrincipal(request, (p) => (this.principals.includes(p) ? testMesosSecret(p) : undefined));
    if (this.readonlyAuth && path !== '/master/redirect' && !principal) {
      this.unauthorized += 1;
      return UNAUTHORIZED;
    }
    if (method === 'GET' && path === '/master/redirect') return this.notLeader('');
    if (method === 'GET' && path.startsWith('/metrics/snapshot')) {
      return { status: 200, body: { ...fixture('metrics-snapshot.json'), 'master/elected': this.elected ? 1 : 0, 'registrar/log/recovered': this.recovered ? 1 : 0 } };
    }
    if (method === 'GET' && path === '/master/slaves') {
      if (!this.elected) return this.notLeader(path);
      return { status: 200, body: { slaves: this.agents.map(masterSlavesEntry), recovered_slaves: [] } };
    }
    if (method === 'GET' && path === '/master/frameworks') {
      if (!this.elected) return this.notLeader(path);
      return { status: 200, body: masterFrameworksBody(this.frameworks, this.completedFrameworks) };
    }
    if (path === '/api/v1') {
      if (method !== 'POST') return { status: 405 };
      // The operator API is read-write: masters run with --authenticate_http_readwrite.
      if (!principal) {
        this.unauthorized += 1;
        return UNAUTHORIZED;
      }
      if (!contentType) return { status: 400, body: 'Expecting Content-Type header' };
      if (!this.elected) return this.notLeader(path);
      const call = JSON.parse(body);
      // The local authorizer, as reference/mesos/operator-call-authorization.json records it.
      if (!(actionsFor(call) ?? []).every((action) => authorized(this.acls, action, principal))) {
        this.forbidden.push(`${call.type} by ${principal}`);
        return { status: FORBIDDEN.status, body: FORBIDDEN.body };
      }
      this.calls.push(call);
      this.callers.push(principal);
      return this.v1(call);
    }
    return { status: 404 };
  }

  private v1(call: any): Reply {
    const byId = (field: string) => this.agents.find((a) => a.id === call[field]?.agent_id?.value);
    switch (call.type) {
      case 'GET_AGENTS':
        this.advanceDrains();
        return { status: 200, body: { type: 'GET_AGENTS', get_agents: { agents: this.agents.map(getAgentsEntry) } } };
      case 'DRAIN_AGENT': {
        const agent = byId('drain_agent');
        if (!agent) return { status: 400, body: 'Unknown agent' };
        const grace = call.drain_agent.max_grace_period;
        agent.drain = { state: 'DRAINING', markGone: call.drain_agent.mark_gone ?? false, maxGraceSeconds: grace && (grace.seconds ?? 0) + (grace.nanos ?? 0) / 1e9 };
        this.polls.set(agent.id, 0);
        this.onDrain?.();
        return { status: 200 };
      }
      case 'REACTIVATE_AGENT': {
        const agent = byId('reactivate_agent');
        if (!agent) return { status: 400, body: 'Unknown agent' };
        if (agent.drain?.state !== 'DRAINED') return { status: 400, body: 'Agent is still DRAINING or not deactivated' };
        agent.drain = undefined;
        return { status: 200 };
      }
      default:
        return { status: 400, body: `call ${call.type} not served by this stand-in` };
    }
  }

  /** DRAINING becomes DRAINED after `drainPolls` answers; an agent drained with mark_gone leaves the list then. */
  private advanceDrains(): void {
    for (const agent of this.agents) {
      if (agent.drain?.state !== 'DRAINING' || !this.polls.has(agent.id)) continue;
      const seen = this.polls.get(agent.id)! + 1;
      this.polls.set(agent.id, seen);
      if (seen > this.drainPolls) agent.drain.state = 'DRAINED';
    }
    this.agents = this.agents.filter((a) => !(a.drain?.state === 'DRAINED' && a.drain.markGone));
  }
}

