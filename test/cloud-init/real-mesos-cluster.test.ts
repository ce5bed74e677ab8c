/**
 * The rendered masters and agents on the real Mesos 1.11.0 (../shared/mesos): three masters with
 * their rendered flags, ACLs and credentials on the real ZooKeeper ensemble of the rendered
 * zookeeper role, a `builds` and a `jenkins-masters` agent with their pools' flags and credentials
 * (test/support/real-mesos.ts lists what is changed for a machine without root or cgroups). One
 * cluster for the whole file; the steps build on each other and run in order.
 *
 * ACL and authentication outcomes are asserted from test/support/real-mesos-outcomes.ts.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { NODE } from '../../lib/cloud-init/layout';
import { PORTS } from '../../lib/model';
import { DirectTransport } from '../../lib/verify/direct-transport';
import { formatReport } from '../../lib/verify/report';
import { verifyCluster } from '../../lib/verify/verify-cluster';
import { fixture, testMesosSecret } from '../support/reference-shaped-mesos';
import { ReferenceShapedMarathon, TEST_MARATHON_PASSWORD } from '../support/reference-shaped-marathon';
import { MASTER_METRICS } from '../support/readiness-responses';
import { MesosNode, mesosHttp, probeRealMesos, RealMesosCluster, subscribe } from '../support/real-mesos';
import {
  AGENT_STATE_OUTCOMES,
  DRAIN_OUTCOMES,
  RESERVED_POOL_AGENT_REGISTERS,
  SUBSCRIBE_OUTCOMES,
  TEARDOWN_OUTCOMES,
} from '../support/real-mesos-outcomes';
import { startRenderedDrainGate } from '../support/drain-gate-process';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';
import { poll } from '../support/zookeeper-ensemble';
import { sequentialSteps } from '../support/sequential-steps';

const probe = probeRealMesos();
const missing = (probe.ok ? undefined : probe.reason) ?? missingTool('jq', 'jq') ?? missingTool('curl', 'curl');

/** GET_AGENTS entry of the agent at `address`, from the leader. */
async function agentEntry(cluster: RealMesosCluster, address: string): Promise<any> {
  const answer = await cluster.http('/api/v1', { principal: 'operator', body: { type: 'GET_AGENTS' } });
  assert.equal(answer.status, 200, answer.text);
  return answer.json().get_agents.agents.find((a: any) => a.agent_info.hostname === address);
}

/** `npm run verify`'s checks against the cluster: each private address routed to its loopback one, Marathon's to `marathon`. */
function verifyReal(cluster: RealMesosCluster, marathon?: string) {
  const transport = new DirectTransport({
    route: (host, port) => {
      if (port === PORTS.marathonHttp && marathon) return { host: '127.0.0.1', port: Number(marathon.split(':')[1]) };
      return { host: cluster.addresses.get(host) ?? '127.0.0.1', port: cluster.addresses.has(host) ? port : 1 };
    },
  });
  const credentials = { marathon: { user: 'operator', password: TEST_MARATHON_PASSWORD }, mesos: { user: 'operator', password: testMesosSecret('operator') }, source: 'test' };
  return verifyCluster(cluster.topology, transport, credentials);
}

/** Every key path of a JSON value (`a.b[].c`), for comparing shapes. */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.length === 0 ? [`${prefix}[]`] : [...new Set(value.flatMap((v) => keyPaths(v, `${prefix}[]`)))];
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [`${prefix}${prefix ? '.' : ''}${k}`, ...keyPaths(v, `${prefix}${prefix ? '.' : ''}${k}`)]);
  }
  return [];
}

describe('the rendered masters and agents on the real Mesos 1.11.0, beside a reference-shaped Marathon stand-in', gateOn(missing), () => {
  let cluster: RealMesosCluster;
  let builds: MesosNode;
  let reserved: MesosNode;
  let buildsId = '';
  let killed: MesosNode | undefined;

  /** A step: skipped after an earlier failure (the steps build on each other); a failure prints the cluster's logs. */
  const steps = sequentialSteps(() => cluster.report());
  const { step } = steps;

  before(async () => {
    assertToolAvailable(missing);
    if (!probe.ok) return;
    cluster = await RealMesosCluster.start({ runtime: probe.runtime, masters: 3, agents: ['builds', 'jenkins-masters'], awaitAgents: false });
    [builds, reserved] = cluster.agents;
    buildsId = (await cluster.waitForAgents([builds])).get(builds) as string;
  });

  after(async () => {
    await cluster?.dispose(steps.failed);
  });

  step('three masters elect one leader on the ZooKeeper ensemble; every master names it, and runs with the rendered quorum, ACLs and authentication', async (t) => {
    const leader = await cluster.leader();
    t.diagnostic(`leader ${leader.name} (${leader.pid})`);
    for (const master of cluster.masters) {
      // Every master, standbys too, points to the leader (a protocol-relative Location).
      const redirect = await mesosHttp(master.url, '/master/redirect');
      assert.deepEqual([redirect.status, redirect.headers.get('location')], [307, `//${leader.address}:${leader.port}`], master.name);
      const { flags } = (await mesosHttp(master.url, '/flags')).json();
      assert.equal(flags.quorum, '2');
      for (const flag of ['authenticate_frameworks', 'authenticate_agents', 'authenticate_http_frameworks', 'authenticate_http_readwrite']) {
        assert.equal(flags[flag], 'true', `--${flag}`);
      }
      assert.equal(flags.authenticate_http_readonly, 'false');
      assert.match(flags.acls, /permissive: false/, 'the rendered ACLs were loaded');
      assert.equal(flags.registry, 'replicated_log');
    }
    // A standby sends reads of the master's state to the leader.
    const standby = cluster.masters.find((m) => m !== leader) as MesosNode;
    const state = await mesosHttp(standby.url, '/master/state');
    assert.deepEqual([state.status, state.headers.get('location')], [307, `//${leader.address}:${leader.port}/master/state`]);
    assert.equal((await mesosHttp(leader.url, '/master/state')).json().version, '1.11.0');
  });

  step("the masters' --zk digest credentials own /mesos in ZooKeeper: everyone reads, only user mesos writes", async () => {
    const zk = cluster.zookeeper.nodes[0];
    const acl = await cluster.zookeeper.cli(zk, ['getAcl', '/mesos']);
    const said = acl.stdout + acl.stderr;
    assert.match(said, /'world,'anyone\s*: r/);
    assert.match(said, /'digest,'mesos:[^\n]*\s*: cdrwa/);
  });

  step('agents authenticate with their pool credential: builds registers with its attributes and resources', async () => {
    const entry = await agentEntry(cluster, builds.address);
    assert.equal(entry.agent_info.id.value, buildsId);
    assert.equal(entry.active, true);
    assert.deepEqual(entry.agent_info.attributes.map((a: any) => `${a.name}:${a.text?.value}`), ['pool:builds']);
    assert.match(builds.log(), /Successfully authenticated with master/);
  });

  step(`an agent of a pool with a reserved role (jenkins-masters) ${RESERVED_POOL_AGENT_REGISTERS ? 'registers' : 'is refused registration by the rendered ACLs'}`, async (t) => {
    if (RESERVED_POOL_AGENT_REGISTERS) {
      await cluster.waitForAgents([reserved]);
      return;
    }
    const refusal = await poll('the masters to refuse the jenkins-masters agent', 30_000, 500, async () => {
      const line = cluster.masters
        .flatMap((m) => m.log().split('\n'))
        .find((l) => l.includes(`Refusing registration of agent at ${reserved.pid}`));
      return { done: line !== undefined, value: line ?? '', describe: 'no refusal logged yet' };
    });
    t.diagnostic(refusal.replace(/^.*\] /, ''));
    assert.match(refusal, /Not authorized to register agent providing resources '[^']*STATIC,marathon[^']*' with principal 'agent-jenkins-masters'/);
    assert.equal(await agentEntry(cluster, reserved.address), undefined);
    assert.ok(reserved.running, 'the agent keeps retrying');
  });

  step('framework registration follows the ACLs: who may SUBSCRIBE with which role; none without credentials', async (t) => {
    const leader = await cluster.leader();
    const anonymous = await subscribe(leader.url, { roles: ['*'] });
    assert.equal(anonymous.status, 401);
    for (const { principal, roles, accepted } of SUBSCRIBE_OUTCOMES) {
      const answer = await subscribe(leader.url, { principal, roles });
      // A refusal is not an HTTP error: the stream opens (200) and its first event is ERROR.
      assert.equal(answer.status, 200, `${principal} ${roles}: ${answer.body.slice(0, 200)}`);
      if (accepted) {
        assert.equal(answer.event?.type, 'SUBSCRIBED', `${principal} with roles ${roles}: ${JSON.stringify(answer.event)}`);
      } else {
        assert.equal(answer.event?.type, 'ERROR', `${principal} with roles ${roles}: ${JSON.stringify(answer.event)}`);
        assert.match(answer.event.error.message, /^Not authorized to register framework .* with roles \{ .* \}$/);
      }
      t.diagnostic(`SUBSCRIBE ${principal} ${roles.join(',')}: ${answer.event.type}${accepted ? '' : ` "${answer.event.error.message}"`}`);
    }
  });

  step('teardown, the agent API: only the principals the ACLs name', async () => {
    const leader = await cluster.leader();
    // Connected while it is torn down: with failover timeout 0 the master forgets a framework as soon as its connection closes.
    const jenkins = await subscribe(leader.url, { principal: 'jenkins', roles: ['*'], name: 'teardown-target', keepOpen: true });
    try {
      const frameworkId = jenkins.event.subscribed.framework_id.value;
      for (const { principal, status } of TEARDOWN_OUTCOMES) {
        const answer = await mesosHttp(leader.url, '/master/teardown', { principal, body: `frameworkId=${frameworkId}` });
        assert.equal(answer.status, status, `teardown as ${principal ?? 'nobody'}: ${answer.text}`);
      }
    } finally {
      jenkins.close();
    }
    for (const { principal, status } of AGENT_STATE_OUTCOMES) {
      assert.equal((await mesosHttp(builds.url, '/state', { principal })).status, status, `agent /state as ${principal ?? 'nobody'}`);
    }
  });

  step('await-ready (registrar, log recovery) passes on every master and on the builds agent, and writes the marker', async () => {
    const env = { MESOS_CLUSTER_READY_TIMEOUT: '30', MESOS_CLUSTER_READY_INTERVAL: '0.5' };
    for (const node of [...cluster.masters, builds]) {
      const service = node.kind === 'master' ? 'mesos-master' : 'mesos-agent';
      const result = await node.runScript('await-ready', [service], env);
      assert.equal(result.code, 0, `${node.name}: ${result.stderr}`);
      assert.match(readFileSync(join(node.root, NODE.readyMarker), 'utf8'), new RegExp(`^services=${service}$`, 'm'));
    }
  });

  step("the hand-written readiness and agent answers have the masters' own shape", async (t) => {
    const leader = await cluster.leader();
    const standby = cluster.masters.find((m) => m !== leader) as MesosNode;
    const metrics = (await mesosHttp(standby.url, '/metrics/snapshot')).json();
    for (const key of Object.keys(MASTER_METRICS.recovered)) assert.equal(typeof metrics[key], 'number', `/metrics/snapshot has ${key}`);
    assert.equal(metrics['registrar/log/recovered'], 1);
    const real = new Set(keyPaths(await agentEntry(cluster, builds.address)));
    const recorded = keyPaths(fixture('get-agents-agent.json'));
    const absent = recorded.filter((k) => !real.has(k));
    t.diagnostic(`GET_AGENTS agent keys only in the recording: ${absent.join(', ') || 'none'}`);
    assert.deepEqual(absent, []);
  });

  step('verify reports the cluster (Marathon the stand-in): ZooKeeper quorum, the leading master with 3 of 3 logs recovered, each pool against its count', async (t) => {
    const marathon = await ReferenceShapedMarathon.start(`${cluster.topology.marathon.servers[0].privateIp}:${PORTS.marathonHttp}`);
    try {
      const report = await verifyReal(cluster, marathon.address);
      t.diagnostic(formatReport(report));
      const check = (name: string) => report.checks.find((c) => c.check === name)!;
      assert.equal(check('zookeeper').status, 'ok');
      const leader = await cluster.leader();
      assert.equal(check('mesos-masters').summary, `leader ${leader.name}; 3 of 3 logs recovered (quorum 2)`);
      assert.equal(check('mesos-masters').status, 'ok');
      const pools = Object.fromEntries(check('agents').rows.map((r) => [r.subject, r.state]));
      assert.equal(pools.builds, '1/1 serving');
      assert.equal(pools['jenkins-masters'], RESERVED_POOL_AGENT_REGISTERS ? '1/1 serving' : '0/1 serving');
      assert.equal(check('agents').status, RESERVED_POOL_AGENT_REGISTERS ? 'ok' : 'fail');
    } finally {
      await marathon.close();
    }
  });

  step("drain-agent drains the builds agent through the masters' drain gates and the leading master (DRAIN_AGENT until DRAINED) and reactivates it at the next boot", async (t) => {
    // Every master's gate, as its rendered unit starts it; drain-agent sends from the agent's address.
    const gates = await Promise.all(cluster.masters.map((m) => startRenderedDrainGate(m, (ip) => cluster.loopbackOf(ip))));
    t.after(() => Promise.all(gates.map((g) => g.close())));
    const env = { MESOS_CLUSTER_DRAIN_INTERVAL: '0.5', MESOS_CLUSTER_DRAIN_SOURCE: builds.address };
    const drained = await builds.runScript('drain-agent', ['drain'], env);
    assert.equal(drained.code, 0, drained.stderr);
    assert.match(drained.stderr, /is DRAINED$/m);
    const entry = await agentEntry(cluster, builds.address);
    assert.equal(entry.drain_info.state, 'DRAINED');
    assert.equal(entry.deactivated, true);
    assert.equal(entry.drain_info.config.mark_gone ?? false, false);
    assert.ok(existsSync(join(builds.root, 'var/lib/mesos-cluster/drained-on-stop')));

    const reactivated = await builds.runScript('drain-agent', ['reactivate'], env);
    assert.equal(reactivated.code, 0, reactivated.stderr);
    const after = await agentEntry(cluster, builds.address);
    assert.equal(after.drain_info, undefined);
    assert.equal(after.deactivated, false);
  });

  step('DRAIN_AGENT and REACTIVATE_AGENT on the builds agent, by principal, as the ACLs say', async () => {
    for (const [principal, status] of Object.entries(DRAIN_OUTCOMES)) {
      const drain = await cluster.http('/api/v1', { principal, body: { type: 'DRAIN_AGENT', drain_agent: { agent_id: { value: buildsId } } } });
      assert.equal(drain.status, status, `DRAIN_AGENT as ${principal}: ${drain.text}`);
      // The master refuses to reactivate an agent still DRAINING (400 "Agent is still in the DRAINING state").
      if (status === 200) {
        await poll('the agent DRAINED', 30_000, 300, async () => {
          const state = (await agentEntry(cluster, builds.address)).drain_info?.state;
          return { done: state === 'DRAINED', value: undefined, describe: String(state) };
        });
      }
      const reactivate = await cluster.http('/api/v1', { principal, body: { type: 'REACTIVATE_AGENT', reactivate_agent: { agent_id: { value: buildsId } } } });
      assert.equal(reactivate.status, status, `REACTIVATE_AGENT as ${principal}: ${reactivate.text}`);
    }
    assert.equal((await agentEntry(cluster, builds.address)).deactivated, false);
  });

  step('when the leader dies, the other two (quorum 2) elect a new one; the agent follows it, and drain-agent --mark-gone finds it and removes the agent for good', async (t) => {
    const old = await cluster.leader();
    await old.kill();
    killed = old;
    const leader = await cluster.leader();
    t.diagnostic(`killed ${old.name}; new leader ${leader.name}`);
    assert.notEqual(leader, old);
    // An elected master answers 503 "Master has not finished recovery" until its registry is read
    // back (reference/mesos/REAL-MESOS.md); under load that outlasts the election.
    await poll('the new leader recovered', 60_000, 500, async () => {
      const answer = await cluster.http('/api/v1', { principal: 'operator', body: { type: 'GET_AGENTS' } });
      return { done: answer.status !== 503, value: undefined, describe: `${answer.status} ${answer.text.slice(0, 80)}` };
    });
    await poll('the builds agent registered with the new leader', 60_000, 500, async () => {
      const entry = await agentEntry(cluster, builds.address);
      return { done: entry?.active === true, value: undefined, describe: JSON.stringify(entry?.active) };
    });
    const ready = await leader.runScript('await-ready', ['mesos-master'], { MESOS_CLUSTER_READY_TIMEOUT: '30', MESOS_CLUSTER_READY_INTERVAL: '0.5' });
    assert.equal(ready.code, 0, ready.stderr);

    // The rendered CLUSTER_MESOS_MASTERS still lists the dead master: drain-agent skips it.
    // The gates of the masters still running; the killed leader's gate does not answer, so drain-agent asks the next.
    const gates = await Promise.all(cluster.masters.filter((m) => m.running).map((m) => startRenderedDrainGate(m, (ip) => cluster.loopbackOf(ip))));
    t.after(() => Promise.all(gates.map((g) => g.close())));
    const gone = await builds.runScript('drain-agent', ['drain', '--mark-gone'], { MESOS_CLUSTER_DRAIN_INTERVAL: '0.5', MESOS_CLUSTER_DRAIN_SOURCE: builds.address });
    assert.equal(gone.code, 0, gone.stderr);
    await poll('the agent gone from the leader', 30_000, 500, async () => {
      const slaves: any[] = (await cluster.http('/master/slaves')).json().slaves;
      return { done: !slaves.some((s) => s.hostname === builds.address), value: undefined, describe: `${slaves.length} agents` };
    });
    await poll('the gone agent told to shut down', 30_000, 500, async () => ({ done: !builds.running, value: undefined, describe: builds.exitStatus }));
    t.diagnostic(`builds agent after mark-gone: ${builds.exitStatus}; ${builds.log().split('\n').filter((l) => /gone|shut/i.test(l)).slice(-1)[0] ?? ''}`);
  });

  step('the killed master, started again on its files, rejoins as a standby: await-ready passes once its log has recovered, and verify counts 3 of 3 recovered', async (t) => {
    const master = killed as MesosNode;
    const leader = await cluster.leader();
    master.start();
    const ready = await master.runScript('await-ready', ['mesos-master'], { MESOS_CLUSTER_READY_TIMEOUT: '60', MESOS_CLUSTER_READY_INTERVAL: '0.5' });
    assert.equal(ready.code, 0, ready.stderr);
    const metrics = (await mesosHttp(master.url, '/metrics/snapshot')).json();
    assert.deepEqual([metrics['master/elected'], metrics['registrar/log/recovered']], [0, 1]);
    assert.equal(await cluster.leader(), leader, 'the lead stays where it is');
    const report = await verifyReal(cluster);
    const masters = report.checks.find((c) => c.check === 'mesos-masters')!;
    t.diagnostic(masters.summary);
    assert.equal(masters.summary, `leader ${leader.name}; 3 of 3 logs recovered (quorum 2)`);
  });
});
