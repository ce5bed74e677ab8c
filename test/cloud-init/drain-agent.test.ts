import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { AGENT_SECRET_FILES } from '../../lib/cloud-init/mesos-auth';
import { AGENT_DRAIN } from '../../lib/model';
import { agentRoot, AgentRoot } from '../support/agent-root';
import { closedPort } from '../support/loopback-http';
import { startDrainGate } from '../support/drain-gate-process';
import { ReferenceShapedMesosMaster, testMesosSecret } from '../support/reference-shaped-mesos';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

const missing = missingTool('jq', 'jq') ?? missingTool('curl', 'curl');
const AGENT_IP = '10.20.64.10';
/** The address the gate sees this node call from (loopback here), where the master lists its agent. */
const SOURCE = '127.0.0.1';
const AGENT_ID = '8a5c3f9e-2b1d-4c7a-9f0e-3d2b1a0c9e8f-S3';
const MARKER = 'var/lib/mesos-cluster/drained-on-stop';

/** A standby that names the leader, the leader listing this agent, and the drain gate on `gateOn`'s master. */
async function cluster(drainPolls = 1, gateOn: 'standby' | 'leader' = 'standby') {
  const leader = await ReferenceShapedMesosMaster.start({ elected: true, drainPolls, agents: [{ id: AGENT_ID, hostname: SOURCE, pool: 'builds' }] });
  const standby = await ReferenceShapedMesosMaster.start();
  standby.leader = leader.address;
  const gate = await startDrainGate((gateOn === 'leader' ? leader : standby).address);
  return { leader, standby, gate: gate.address, close: () => Promise.all([gate.close(), leader.close(), standby.close()]) };
}

describe('drain-agent: the agent drains through the masters\' drain gate (the real gate, a stand-in master with reference-shaped responses)', gateOn(missing), () => {
  const roots: AgentRoot[] = [];
  const closers: (() => Promise<unknown>)[] = [];
  let down: string;
  before(async () => {
    assertToolAvailable(missing);
    down = await closedPort();
  });
  after(async () => {
    await Promise.all(closers.map((close) => close()));
    for (const root of roots) root.dispose();
  });
  // The script's bound on finding a gate and on the drain. Tests that expect success get a
  // generous one (a deadline, not an expectation); tests that expect the bound to expire get 2 s:
  // drain-agent checks it only after an attempt failed, so a slow machine makes them slower, never
  // changes how they end.
  const node = (gates: string[], waitSeconds = 120) => {
    const root = agentRoot('builds', AGENT_IP, { CLUSTER_DRAIN_GATES: gates.join(','), CLUSTER_DRAIN_WAIT_SECONDS: waitSeconds });
    roots.push(root);
    return root;
  };

  it('skips a gate that does not answer; the gate finds the leader through a standby and drains this agent as the operator with its grace period, until DRAINED', async () => {
    const { leader, standby, gate, close } = await cluster(2);
    closers.push(close);
    const result = await node([down, gate]).run('drain-agent', ['drain', '--mark-gone']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(standby.calls, [], 'calls go to the leader only');
    assert.deepEqual(leader.callsOf('DRAIN_AGENT'), [
      { type: 'DRAIN_AGENT', drain_agent: { agent_id: { value: AGENT_ID }, max_grace_period: { seconds: AGENT_DRAIN.taskGraceSeconds }, mark_gone: true } },
    ]);
    assert.ok(leader.callsOf('GET_AGENTS').length >= 3, 'it polled until the drain ended');
    assert.deepEqual(leader.agents, [], 'marked gone once DRAINED');
    assert.deepEqual([...new Set(leader.callers)], ['operator'], "the gate calls the master with the operator's credential");
    assert.equal(leader.unauthorized, 0);
  });

  it("without the pool's credential it exits 5 naming the file, having sent nothing", async () => {
    const { leader, gate, close } = await cluster();
    closers.push(close);
    const root = node([gate], 2);
    rmSync(root.path(AGENT_SECRET_FILES.credential));
    const result = await root.run('drain-agent', ['drain']);
    assert.equal(result.code, 5, result.stderr);
    assert.match(result.stderr, new RegExp(`cannot read the agent's Mesos credential ${AGENT_SECRET_FILES.credential} \\(fetch-secrets\\)`));
    assert.deepEqual([leader.calls, leader.unauthorized], [[], 0]);
  });

  it('a credential the gate refuses fails the drain at once (status 22), naming the principal and the 401', async () => {
    const { leader, gate, close } = await cluster();
    closers.push(close);
    const root = node([gate], 2);
    writeFileSync(root.path(AGENT_SECRET_FILES.credential), JSON.stringify({ principal: 'agent-builds', secret: 'wrongSecret0123456' }));
    const result = await root.run('drain-agent', ['drain']);
    assert.equal(result.code, 22, result.stderr);
    assert.match(result.stderr, /the drain gate 127\.0\.0\.1:\d+ refused GET \/agent for principal agent-builds \(HTTP 401\)/);
    assert.doesNotMatch(result.stderr, /wrongSecret/, 'the secret is not logged');
    assert.deepEqual(leader.calls, [], 'the gate asks the master nothing for a bad credential');
  });

  it("another pool's credential on this node cannot drain this node's agent (403, status 22)", async () => {
    const { leader, gate, close } = await cluster();
    closers.push(close);
    const root = node([gate], 2);
    writeFileSync(root.path(AGENT_SECRET_FILES.credential), JSON.stringify({ principal: 'agent-jenkins-masters', secret: testMesosSecret('agent-jenkins-masters') }));
    const result = await root.run('drain-agent', ['drain']);
    assert.equal(result.code, 22, result.stderr);
    assert.match(result.stderr, /refused GET \/agent for principal agent-jenkins-masters \(HTTP 403\)/);
    assert.deepEqual(leader.callsOf('DRAIN_AGENT'), []);
    assert.equal(leader.agents[0].drain, undefined);
  });

  it('gives up with exit 3 when the drain does not end within its bound, after one DRAIN_AGENT', async () => {
    const { leader, gate, close } = await cluster(Number.POSITIVE_INFINITY);
    closers.push(close);
    const result = await node([gate], 2).run('drain-agent', ['drain', '--mark-gone']);
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /is DRAINING after 2s; giving up/);
    assert.equal(leader.callsOf('DRAIN_AGENT').length, 1);
    assert.equal(leader.agents[0].drain?.state, 'DRAINING');
  });

  it('exits 4 when no gate answers or no master is elected, having drained nothing', async () => {
    const { leader, standby, gate, close } = await cluster();
    closers.push(close);
    standby.leader = undefined;
    const result = await node([down, gate], 2).run('drain-agent', ['drain']);
    assert.equal(result.code, 4, result.stderr);
    assert.match(result.stderr, /answered HTTP 502 to GET \/agent/);
    assert.match(result.stderr, /no drain gate answered within 2s/);
    assert.deepEqual([leader.calls, standby.calls], [[], []]);
  });

  it('follows leadership when it moves mid-drain: the gate asks its master again who leads', async () => {
    const { leader, standby, gate, close } = await cluster(Number.POSITIVE_INFINITY, 'leader');
    closers.push(close);
    leader.onDrain = () => {
      // The old leader steps down; the new one has the drain recorded and finishes it.
      standby.agents = [{ ...leader.agents[0], drain: { state: 'DRAINED', markGone: false } }];
      standby.elected = true;
      standby.leader = standby.address;
      leader.elected = false;
      leader.leader = standby.address;
    };
    const result = await node([gate]).run('drain-agent', ['drain']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(leader.callsOf('DRAIN_AGENT').length, 1);
    assert.ok(standby.callsOf('GET_AGENTS').length >= 1, 'the new leader was asked');
    assert.match(result.stderr, /is DRAINED$/m);
  });

  it('does nothing for an agent the master does not list', async () => {
    const { leader, gate, close } = await cluster();
    closers.push(close);
    leader.agents = [];
    const result = await node([gate]).run('drain-agent', ['drain']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(leader.callsOf('DRAIN_AGENT'), []);
  });

  it('a drain on stop keeps the agent known (not gone) and the next boot reactivates it, once', async () => {
    const { leader, gate, close } = await cluster();
    closers.push(close);
    const root = node([gate]);
    const stop = await root.run('drain-agent', ['drain']);
    assert.equal(stop.code, 0, stop.stderr);
    assert.equal(leader.callsOf('DRAIN_AGENT')[0].drain_agent.mark_gone, false);
    assert.equal(leader.agents[0].drain?.state, 'DRAINED');
    assert.ok(existsSync(root.path(MARKER)));

    const boot = await root.run('drain-agent', ['reactivate']);
    assert.equal(boot.code, 0, boot.stderr);
    assert.deepEqual(leader.callsOf('REACTIVATE_AGENT'), [{ type: 'REACTIVATE_AGENT', reactivate_agent: { agent_id: { value: AGENT_ID } } }]);
    assert.equal(leader.agents[0].drain, undefined);
    assert.ok(!existsSync(root.path(MARKER)));

    const again = await root.run('drain-agent', ['reactivate']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(leader.callsOf('REACTIVATE_AGENT').length, 1, 'no marker, no call');
  });
});
