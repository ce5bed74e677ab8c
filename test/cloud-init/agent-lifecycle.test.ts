import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { agentRoot, AgentRoot } from '../support/agent-root';
import { closedPort, LoopbackServer, startLoopbackServer } from '../support/loopback-http';
import { MotoAutoScaling, motoUnavailable, startMotoAutoScaling } from '../support/moto-autoscaling';
import { ReferenceShapedMesosMaster } from '../support/reference-shaped-mesos';
import { DrainGate, startDrainGate } from '../support/drain-gate-process';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

const missing = missingTool('jq', 'jq') ?? missingTool('curl', 'curl') ?? missingTool('aws', 'awscli') ?? motoUnavailable();
const GROUP = 'ci-aws-builds';
const DOWN_FILE = 'run/mesos-cluster/agent-down-since';

/** Instance metadata (IMDSv2: a token first) for one instance; the lifecycle state is settable. */
async function instanceMetadata(instanceId: string) {
  const state = { target: 'InService' as string | undefined };
  const server = await startLoopbackServer((request) => {
    if (request.method === 'PUT' && request.url === '/latest/api/token') {
      return request.headers['x-aws-ec2-metadata-token-ttl-seconds'] ? { status: 200, body: 'token-1' } : { status: 400 };
    }
    if (request.headers['x-aws-ec2-metadata-token'] !== 'token-1') return { status: 401 };
    const answers: Record<string, string | undefined> = {
      '/latest/meta-data/instance-id': instanceId,
      '/latest/meta-data/placement/region': 'us-east-1',
      '/latest/meta-data/autoscaling/target-lifecycle-state': state.target,
    };
    const answer = answers[request.url ?? ''];
    return answer === undefined ? { status: 404 } : { status: 200, body: answer };
  });
  return { server, state };
}

describe('agent-lifecycle: Auto Scaling termination and health against moto, instance metadata and a stand-in master (reference-shaped responses)', gateOn(missing), () => {
  let moto: MotoAutoScaling;
  let leader: ReferenceShapedMesosMaster;
  let gate: DrainGate;
  let agentHealth: LoopbackServer;
  let deadAgent: string;
  const servers: LoopbackServer[] = [];
  const roots: AgentRoot[] = [];

  before(async () => {
    assertToolAvailable(missing);
    moto = await startMotoAutoScaling(GROUP, 'drain', 4);
    leader = await ReferenceShapedMesosMaster.start({ elected: true });
    gate = await startDrainGate(leader.address);
    agentHealth = await startLoopbackServer((request) => (request.url === '/health' ? { status: 200 } : { status: 404 }));
    deadAgent = await closedPort();
  });
  after(async () => {
    await Promise.all([moto?.stop(), gate?.close(), leader?.close(), agentHealth?.close(), ...servers.map((s) => s.close())]);
    for (const root of roots) root.dispose();
  });

  /** One agent: its instance metadata, the master listing it, its files; `agentAddress` answers /health or not. */
  async function agent(instance: string, options: { target: string; agentAddress: string; ready?: boolean; waitSeconds?: number }) {
    const metadata = await instanceMetadata(instance);
    metadata.state.target = options.target;
    servers.push(metadata.server);
    const [ip, port] = options.agentAddress.split(':');
    // Agents here share 127.0.0.1; a drained agent leaves the master's list before the next test.
    leader.agents.push({ id: `${instance}-S0`, hostname: ip, pool: 'builds' });
    const root = agentRoot('builds', ip, {
      CLUSTER_DRAIN_GATES: gate.address,
      CLUSTER_MESOS_AGENT_PORT: port,
      CLUSTER_DRAIN_WAIT_SECONDS: options.waitSeconds ?? 30,
    });
    roots.push(root);
    if (options.ready ?? true) writeFileSync(root.path('var/lib/mesos-cluster/ready'), 'role=mesos-agent\n');
    // The power-off leaves a mark instead of stopping this machine.
    const poweredOff = root.path('powered-off');
    const run = () =>
      root.run('agent-lifecycle', [], {
        ...moto.awsEnv,
        MESOS_CLUSTER_IMDS_URL: `http://${metadata.server.address}`,
        MESOS_CLUSTER_AWS_ENDPOINT: moto.endpoint,
        MESOS_CLUSTER_POWEROFF: `touch ${poweredOff}`,
      });
    return { root, run, metadata, poweredOff };
  }

  const inGroup = (instance: string) => moto.autoScalingInstance(instance);

  it('on termination: drains the agent (marked gone), then completes the lifecycle hook, and the group lets the instance go', async () => {
    const instance = moto.instances[0];
    const node = await agent(instance, { target: 'Terminated', agentAddress: agentHealth.address });
    const result = await node.run();
    assert.equal(result.code, 0, result.stderr);
    const drains = leader.callsOf('DRAIN_AGENT').filter((c) => c.drain_agent.agent_id.value === `${instance}-S0`);
    assert.equal(drains.length, 1);
    assert.equal(drains[0].drain_agent.mark_gone, true);
    assert.match(result.stderr, /drain ended with status 0/);
    assert.match(result.stderr, new RegExp(`completed lifecycle hook drain of ${GROUP} for ${instance}`));
    assert.equal(await inGroup(instance), undefined, 'moto accepted CompleteLifecycleAction and removed the instance');
    const again = await node.run();
    assert.equal(again.code, 0, `the next timer run before the instance stops does nothing: ${again.stderr}`);
    assert.equal(leader.callsOf('DRAIN_AGENT').filter((c) => c.drain_agent.agent_id.value === `${instance}-S0`).length, 1);
  });

  it('on termination with a drain that times out: still completes the hook, so removal is never stuck', async () => {
    const instance = moto.instances[1];
    leader.drainPolls = Number.POSITIVE_INFINITY;
    const node = await agent(instance, { target: 'Terminated', agentAddress: agentHealth.address, waitSeconds: 2 });
    const result = await node.run();
    leader.drainPolls = 1;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /drain ended with status 3/);
    assert.equal(await inGroup(instance), undefined);
  });

  it('in service with a live agent: reports nothing and forgets an earlier outage', async () => {
    const instance = moto.instances[2];
    const node = await agent(instance, { target: 'InService', agentAddress: agentHealth.address });
    mkdirSync(node.root.path('run/mesos-cluster'), { recursive: true });
    writeFileSync(node.root.path(DOWN_FILE), '1\n');
    const result = await node.run();
    assert.equal(result.code, 0, result.stderr);
    assert.match((await inGroup(instance))!.HealthStatus, /^healthy$/i);
    assert.ok(!existsSync(node.root.path(DOWN_FILE)));
    assert.ok(!existsSync(node.poweredOff));
  });

  it('in service with a dead agent: notes the time first, powers off once it has stayed dead for minutes, and reports no health to its group', async () => {
    const instance = moto.instances[3];
    const node = await agent(instance, { target: 'InService', agentAddress: deadAgent });
    const first = await node.run();
    assert.equal(first.code, 0, first.stderr);
    assert.ok(!existsSync(node.poweredOff), 'one failed probe is not enough');
    const since = Number(readFileSync(node.root.path(DOWN_FILE), 'utf8'));
    assert.ok(Math.abs(since - Date.now() / 1000) < 60);

    writeFileSync(node.root.path(DOWN_FILE), `${since - 600}\n`);
    const later = await node.run();
    assert.equal(later.code, 0, later.stderr);
    assert.match(later.stderr, /has not answered for 6\d\ds: powering .* off/);
    assert.ok(existsSync(node.poweredOff));
    // The group learns it from EC2's health check of the stopped instance, not from the agent.
    assert.match((await inGroup(instance))!.HealthStatus, /^healthy$/i);
  });
});
