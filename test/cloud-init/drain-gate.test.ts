/**
 * The masters' ACLs and drain gate on the real Mesos 1.11.0 (test/support/real-mesos.ts): one
 * master with its rendered --acls and credentials, a `builds` and a `jenkins-masters` agent with
 * their rendered flags, and the drain gate started from the master's rendered unit. Agents drain
 * themselves only through the gate; no agent principal may drain at the master.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AGENT_SECRET_FILES } from '../../lib/cloud-init/mesos-auth';
import { agentPrincipal, OPERATOR_PRINCIPAL, PORTS } from '../../lib/model';
import { agentRoot, AgentRoot } from '../support/agent-root';
import { startRenderedDrainGate } from '../support/drain-gate-process';
import { freePort } from '../support/loopback-stubs';
import { MesosNode, probeRealMesos, RealMesosCluster } from '../support/real-mesos';
import { testMesosSecret } from '../support/reference-shaped-mesos';
import { assertToolAvailable, gateOn } from '../support/tool-gate';

const probe = probeRealMesos();
const missing = probe.ok ? undefined : probe.reason;
const MASTER_UNIT = '/etc/systemd/system/mesos-drain-gate.service';

interface Answer {
  status: number;
  body: string;
}

/** A call to the gate sent from `from` (the address a node sends from), as `principal`. */
function gateCall(gate: string, from: string, principal: string, method: string, path: string, secret = testMesosSecret(principal), body?: unknown): Promise<Answer> {
  const [host, port] = gate.split(':');
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host,
        port: Number(port),
        method,
        path,
        localAddress: from,
        timeout: 20_000,
        headers: { Authorization: `Basic ${Buffer.from(`${principal}:${secret}`).toString('base64')}`, ...(data && { 'Content-Type': 'application/json' }) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

describe('drain gate and ACLs on the real Mesos 1.11.0', gateOn(missing), () => {
  let cluster: RealMesosCluster;
  let builds: MesosNode;
  let jenkins: MesosNode;
  let ids: Map<MesosNode, string>;
  let gate: string;
  let gateStop: (() => Promise<unknown>) | undefined;
  const roots: AgentRoot[] = [];

  /** GET_AGENTS as the operator: each agent's drain state, or GONE when the master no longer lists it. */
  const drainStates = async (): Promise<Record<string, string>> => {
    const answer = await cluster.http('/api/v1', { principal: OPERATOR_PRINCIPAL, body: { type: 'GET_AGENTS' } });
    const agents: any[] = answer.json().get_agents.agents ?? [];
    const stateOf = (node: MesosNode) => {
      const agent = agents.find((a) => a.agent_info.hostname === node.address);
      return agent === undefined ? 'GONE' : (agent.drain_info?.state ?? 'NONE');
    };
    return { builds: stateOf(builds), 'jenkins-masters': stateOf(jenkins) };
  };

  const drainCall = (principal: string, agent: MesosNode, markGone = false) =>
    cluster.http('/api/v1', {
      principal,
      body: { type: 'DRAIN_AGENT', drain_agent: { agent_id: { value: ids.get(agent) }, max_grace_period: { seconds: 5 }, mark_gone: markGone } },
    });

  /** The pool's files with facts pointing at the gate; drain-agent sends from the agent's address. */
  const node = (agent: MesosNode) => {
    const root = agentRoot(agent.pool as string, agent.address, { CLUSTER_DRAIN_GATES: gate, CLUSTER_DRAIN_WAIT_SECONDS: 90 });
    roots.push(root);
    return (args: string[]) => root.run('drain-agent', args, { MESOS_CLUSTER_DRAIN_SOURCE: agent.address });
  };

  before(async () => {
    assertToolAvailable(missing);
    if (!probe.ok) return;
    cluster = await RealMesosCluster.start({ runtime: probe.runtime, masters: 1, agents: ['builds', 'jenkins-masters'] });
    [builds, jenkins] = cluster.agents;
    ids = await cluster.waitForAgents();
    // The gate as the master's rendered unit starts it: addresses and paths mapped onto the test's.
    const master = cluster.masters[0];
    const unit = readFileSync(join(master.root, MASTER_UNIT), 'utf8');
    const [, , address, , masterEndpoint] = /^ExecStart=(.*)$/m.exec(unit)![1].split(' ');
    assert.equal(address, cluster.topology.mesos.masters[0].privateIp);
    assert.equal(masterEndpoint, `${address}:${PORTS.mesosMaster}`);
    const started = await startRenderedDrainGate(master, (ip) => cluster.loopbackOf(ip), await freePort());
    gateStop = started.close;
    gate = started.address;
  });

  after(async () => {
    await gateStop?.();
    for (const root of roots) root.dispose();
    await cluster?.dispose();
  });

  it('agents start with executor authentication (--authenticate_http_executors, --jwt_secret_key from the secret store)', async () => {
    for (const agent of [builds, jenkins]) {
      assert.ok(agent.args.includes('--authenticate_http_executors'), agent.name);
      const key = agent.args.find((a) => a.startsWith('--jwt_secret_key='));
      assert.equal(key, `--jwt_secret_key=${join(agent.root, AGENT_SECRET_FILES.jwtSecretKey)}`);
      assert.match(readFileSync(key!.slice('--jwt_secret_key='.length), 'utf8'), /^test\w+Value$/, 'filled from its {{pools/<pool>/executor-jwt-key}} template');
      const flags: any = await (await fetch(`${agent.url}/flags`, { headers: { Authorization: `Basic ${Buffer.from(`${agentPrincipal(agent.pool!)}:${testMesosSecret(agentPrincipal(agent.pool!))}`).toString('base64')}` } })).json();
      assert.equal(flags.flags.authenticate_http_executors, 'true', `${agent.name} /flags`);
    }
  });

  it('the master refuses DRAIN_AGENT from every agent principal, another pool\'s (403, was 200) and its own', async () => {
    for (const [principal, agent] of [[agentPrincipal('jenkins-masters'), builds], [agentPrincipal('builds'), jenkins], [agentPrincipal('builds'), builds]] as const) {
      const answer = await drainCall(principal, agent);
      assert.equal(answer.status, 403, `${principal} drains ${agent.name}: ${answer.status} ${answer.text}`);
    }
    for (const type of ['REACTIVATE_AGENT', 'DEACTIVATE_AGENT']) {
      const field = type.toLowerCase();
      const answer = await cluster.http('/api/v1', { principal: agentPrincipal('builds'), body: { type, [field]: { agent_id: { value: ids.get(jenkins) } } } });
      assert.equal(answer.status, 403, `${type}: ${answer.status} ${answer.text}`);
    }
    assert.deepEqual(await drainStates(), { builds: 'NONE', 'jenkins-masters': 'NONE' });
  });

  it("the gate refuses another pool's principal at an agent's address (403), a principal at another pool's agent (403) and a wrong secret (401)", async () => {
    const cases = [
      [builds.address, agentPrincipal('jenkins-masters'), undefined, 403],
      [jenkins.address, agentPrincipal('builds'), undefined, 403],
      [builds.address, agentPrincipal('builds'), 'wrongSecret', 401],
      [builds.address, OPERATOR_PRINCIPAL, undefined, 401],
    ] as const;
    for (const [from, principal, secret, status] of cases) {
      const answer = await gateCall(gate, from, principal, 'POST', '/drain', secret, { mark_gone: true });
      assert.equal(answer.status, status, `${principal} from ${from}: ${answer.status} ${answer.body}`);
    }
    assert.deepEqual(await drainStates(), { builds: 'NONE', 'jenkins-masters': 'NONE' });
  });

  it('drain-agent drains its own agent through the gate to DRAINED, the other pool untouched, and reactivates it at the next boot', async () => {
    const run = node(builds);
    const drained = await run(['drain']);
    assert.equal(drained.code, 0, drained.stderr);
    assert.match(drained.stderr, new RegExp(`agent ${ids.get(builds)} is DRAINED`));
    assert.deepEqual(await drainStates(), { builds: 'DRAINED', 'jenkins-masters': 'NONE' });
    const reactivated = await run(['reactivate']);
    assert.equal(reactivated.code, 0, reactivated.stderr);
    assert.match(reactivated.stderr, /reactivated/);
    assert.deepEqual(await drainStates(), { builds: 'NONE', 'jenkins-masters': 'NONE' });
  });

  it('drain-agent --mark-gone (Auto Scaling termination) takes its own agent off for good', async () => {
    const result = await node(jenkins)(['drain', '--mark-gone']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await drainStates(), { builds: 'NONE', 'jenkins-masters': 'GONE' });
  });

  it("master-acls names the credentials' agent principals in register_agents (a new pool's too), and the restarted master takes them", async () => {
    const master = cluster.masters[0];
    const credentialsFile = join(master.root, '/etc/mesos-cluster/secrets/mesos-credentials.json');
    const credentials = JSON.parse(readFileSync(credentialsFile, 'utf8'));
    credentials.credentials.push({ principal: 'agent-newpool', secret: 'testNewPoolSecret' });
    writeFileSync(credentialsFile, JSON.stringify(credentials));
    const result = await runHelper(master.root, 'master-acls');
    assert.equal(result.code, 0, result.stderr);
    const acls = JSON.parse(readFileSync(join(master.root, '/etc/mesos-cluster/mesos-acls.json'), 'utf8'));
    assert.deepEqual(acls.register_agents, [{ principals: { values: ['agent-jenkins-masters', 'agent-builds', 'agent-newpool'] }, agents: { type: 'ANY' } }]);
    await master.stop();
    master.start();
    await cluster.leader();
    await cluster.waitForAgents([builds]);
  });
});

/** Runs a delivered helper under a node's root (MESOS_CLUSTER_ROOT). */
function runHelper(root: string, script: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(join(root, '/usr/local/lib/mesos-cluster', script), [], { env: { PATH: process.env.PATH, MESOS_CLUSTER_ROOT: root } }, (error, _stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stderr }),
    );
  });
}
