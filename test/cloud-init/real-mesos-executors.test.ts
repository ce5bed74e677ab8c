/**
 * Tasks on a real Mesos 1.11.0 `builds` agent with its rendered flags (one master, one ZooKeeper
 * server; test/support/real-mesos.ts lists what is changed for a machine without root or
 * cgroups): a command task, and a task group on the default executor, which launches its tasks
 * through the agent's v1 API that the rendered --authenticate_http_readwrite guards. Outcomes:
 * test/support/real-mesos-outcomes.ts.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MesosNode, probeRealMesos, RealMesosCluster } from '../support/real-mesos';
import { DEFAULT_EXECUTOR_RUNS } from '../support/real-mesos-outcomes';
import { SchedulerStream, taskResources } from '../support/real-mesos-scheduler';
import { assertToolAvailable, gateOn } from '../support/tool-gate';
import { poll } from '../support/zookeeper-ensemble';

const probe = probeRealMesos();
const missing = probe.ok ? undefined : probe.reason;

describe('tasks on a real builds agent with its rendered flags', gateOn(missing), () => {
  let cluster: RealMesosCluster;
  let agent: MesosNode;
  let scheduler: SchedulerStream;
  let failed = false;

  before(async () => {
    assertToolAvailable(missing);
    if (!probe.ok) return;
    cluster = await RealMesosCluster.start({ runtime: probe.runtime, masters: 1, agents: ['builds'] });
    agent = cluster.agents[0];
    scheduler = await SchedulerStream.subscribe((await cluster.leader()).url, 'jenkins', ['*']);
  });

  after(async () => {
    scheduler?.close();
    await cluster?.dispose(failed);
  });

  /** Accepts the next offer with `operation`; the offer's agent id. */
  async function launch(offers: number, operation: (agentId: any) => Record<string, unknown>): Promise<void> {
    if (offers > 0) assert.equal(await scheduler.call({ type: 'REVIVE' }), 202);
    const offer = (await scheduler.next('OFFERS', 60_000, offers)).offers.offers[0];
    assert.equal(await scheduler.call({ type: 'ACCEPT', accept: { offer_ids: [offer.id], operations: [operation(offer.agent_id)] } }), 202);
  }

  it('a command task (the command executor) runs to TASK_FINISHED', { timeout: 120_000 }, async (t) => {
    try {
      await launch(0, (agentId) => ({
        type: 'LAUNCH',
        launch: { task_infos: [{ name: 'command', task_id: { value: 'command-1' }, agent_id: agentId, resources: taskResources(0.1, 32, 16), command: { value: 'echo from-a-command-task' } }] },
      }));
      const states = await scheduler.terminalState('command-1', 90_000);
      t.diagnostic(states.map((s) => s.state).join(' → '));
      assert.equal(states.at(-1).state, 'TASK_FINISHED', JSON.stringify(states.at(-1)));
    } catch (error) {
      failed = true;
      console.error(await cluster.report());
      throw error;
    }
  });

  it(`a task group (the default executor, as Marathon pods use) ${DEFAULT_EXECUTOR_RUNS ? 'runs to TASK_FINISHED' : 'fails: the executor gets 401 from the agent API it launches tasks through'}`, { timeout: 120_000 }, async (t) => {
    try {
      await launch(1, (agentId) => ({
        type: 'LAUNCH_GROUP',
        launch_group: {
          executor: { type: 'DEFAULT', executor_id: { value: 'default-1' }, framework_id: scheduler.id, resources: taskResources(0.1, 32, 16) },
          task_group: { tasks: [{ name: 'grouped', task_id: { value: 'grouped-1' }, agent_id: agentId, resources: taskResources(0.1, 32, 16), command: { value: 'echo from-a-task-group' } }] },
        },
      }));
      const states = await scheduler.terminalState('grouped-1', 90_000);
      const last = states.at(-1);
      t.diagnostic(`${states.map((s) => s.state).join(' → ')} (${last.reason ?? ''} ${last.message ?? ''})`);
      if (DEFAULT_EXECUTOR_RUNS) {
        assert.equal(last.state, 'TASK_FINISHED', JSON.stringify(last));
        return;
      }
      assert.equal(last.state, 'TASK_FAILED', JSON.stringify(last));
      // The logrotate logger writes the sandbox's stderr on its own time.
      const refusal = await poll('the executor stderr', 15_000, 300, async () => {
        const stderr = readFileSync(join(executorSandbox(agent, 'default-1'), 'stderr'), 'utf8');
        const line = stderr.split('\n').find((l) => /401 Unauthorized/.test(l));
        return { done: line !== undefined, value: line ?? '', describe: stderr.slice(-300) };
      });
      t.diagnostic(refusal.replace(/^.*\] /, ''));
      assert.match(refusal, /Received '401 Unauthorized' .* while launching child container/);
    } catch (error) {
      failed = true;
      console.error(await cluster.report());
      throw error;
    }
  });
});

/** The sandbox of executor `executorId` (its first run) under the agent's work dir. */
function executorSandbox(agent: MesosNode, executorId: string): string {
  const slaves = join(agent.flags.find((f) => f.name === 'work_dir')?.value as string, 'slaves');
  const stderr = readdirSync(slaves, { recursive: true, encoding: 'utf8' }).find((p) => new RegExp(`/executors/${executorId}/runs/[^/]+/stderr$`).test(p));
  if (stderr === undefined) throw new Error(`no sandbox of executor ${executorId} under ${slaves}`);
  return join(slaves, stderr, '..');
}
