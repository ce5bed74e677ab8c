/**
 * Agents authenticate read-write HTTP, so their HTTP executors must authenticate too
 * (apache/mesos@1.11.0 docs/authentication.md): on the real Mesos 1.11.0 with a `builds` agent's
 * rendered flags (--authenticate_http_executors, --jwt_secret_key), a task group launched through
 * the v1 scheduler API (LAUNCH_GROUP) runs under the default executor, which subscribes to the
 * agent's executor API and launches its nested container through the agent's operator API with
 * the token the agent signed; a caller without one gets 401.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { JENKINS_PRINCIPAL } from '../../lib/model';
import { probeRealMesos, RealMesosCluster } from '../support/real-mesos';
import { testMesosSecret } from '../support/reference-shaped-mesos';
import { assertToolAvailable, gateOn } from '../support/tool-gate';

const probe = probeRealMesos();
const missing = probe.ok ? undefined : probe.reason;
const TERMINAL = ['TASK_FINISHED', 'TASK_FAILED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED', 'TASK_KILLED'];

/** A v1 scheduler subscribed as `jenkins` (role *): its events, and calls on its stream. */
async function subscribe(url: string) {
  const authorization = `Basic ${Buffer.from(`${JENKINS_PRINCIPAL}:${testMesosSecret(JENKINS_PRINCIPAL)}`).toString('base64')}`;
  const headers = { Authorization: authorization, 'Content-Type': 'application/json', Accept: 'application/json' };
  const framework_info = { user: 'root', name: 'executor-auth-test', role: '*', principal: JENKINS_PRINCIPAL };
  const response = await fetch(`${url}/api/v1/scheduler`, { method: 'POST', headers, body: JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info } }) });
  // The body is the event stream: read it only when the subscription failed.
  if (response.status !== 200) assert.fail(`SUBSCRIBE: ${response.status} ${await response.text()}`);
  const stream = response.headers.get('Mesos-Stream-Id') as string;
  const reader = response.body!.getReader();
  let buffer = Buffer.alloc(0);
  /** The next event (RecordIO: "<length>\n<json>"), heartbeats skipped. */
  const next = async (): Promise<any> => {
    for (;;) {
      const newline = buffer.indexOf('\n');
      if (newline >= 0) {
        const length = Number(buffer.subarray(0, newline).toString());
        if (buffer.length >= newline + 1 + length) {
          const event = JSON.parse(buffer.subarray(newline + 1, newline + 1 + length).toString());
          buffer = buffer.subarray(newline + 1 + length);
          if (event.type !== 'HEARTBEAT') return event;
          continue;
        }
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('the master closed the subscription');
      buffer = Buffer.concat([buffer, Buffer.from(value)]);
    }
  };
  const call = async (body: unknown) => {
    const answer = await fetch(`${url}/api/v1/scheduler`, { method: 'POST', headers: { ...headers, 'Mesos-Stream-Id': stream }, body: JSON.stringify(body) });
    assert.equal(answer.status, 202, await answer.text());
  };
  return { next, call, close: () => reader.cancel() };
}

describe('HTTP executors authenticate to agents that authenticate read-write HTTP (real Mesos 1.11.0)', gateOn(missing), () => {
  let cluster: RealMesosCluster;
  before(async () => {
    assertToolAvailable(missing);
    if (!probe.ok) return;
    cluster = await RealMesosCluster.start({ runtime: probe.runtime, masters: 1, agents: ['builds'] });
  });
  after(async () => {
    await cluster?.dispose();
  });

  it('a task group (LAUNCH_GROUP) runs to TASK_FINISHED under the default executor; the executor API refuses a caller without a token (401)', { timeout: 120_000 }, async () => {
    const [agent] = cluster.agents;
    assert.ok(agent.args.includes('--authenticate_http_executors') && agent.args.includes('--authenticate_http_readwrite'), agent.args.join(' '));
    const scheduler = await subscribe((await cluster.leader()).url);
    try {
      const subscribed = await scheduler.next();
      assert.equal(subscribed.type, 'SUBSCRIBED');
      const frameworkId = subscribed.subscribed.framework_id;
      let event = await scheduler.next();
      while (event.type !== 'OFFERS') event = await scheduler.next();
      const offer = event.offers.offers[0];
      const allocation = offer.resources[0].allocation_info;
      const resources = ['cpus:0.1', 'mem:32', 'disk:16'].map((r) => {
        const [name, value] = r.split(':');
        return { name, type: 'SCALAR', scalar: { value: Number(value) }, allocation_info: allocation };
      });
      const task = { name: 'hello', task_id: { value: 'hello-1' }, agent_id: offer.agent_id, resources, command: { value: 'echo hello from a task group' } };
      const executor = { type: 'DEFAULT', executor_id: { value: 'default-executor' }, framework_id: frameworkId, resources };
      await scheduler.call({
        framework_id: frameworkId,
        type: 'ACCEPT',
        accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH_GROUP', launch_group: { executor, task_group: { tasks: [task] } } }] },
      });
      const states: string[] = [];
      let status: any;
      do {
        event = await scheduler.next();
        if (event.type !== 'UPDATE') continue;
        status = event.update.status;
        states.push(`${status.state} (${status.source}${status.message ? `: ${status.message}` : ''})`);
        // Updates come one at a time: the next only once this one is acknowledged.
        if (status.uuid) await scheduler.call({ framework_id: frameworkId, type: 'ACKNOWLEDGE', acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid } });
      } while (!status || !TERMINAL.includes(status.state));
      assert.equal(status.state, 'TASK_FINISHED', states.join(' → '));
      assert.ok(states.some((s) => s.startsWith('TASK_RUNNING (SOURCE_EXECUTOR')), states.join(' → '));
      const unauthenticated = await fetch(`${agent.url}/api/v1/executor`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'SUBSCRIBE', framework_id: frameworkId, executor_id: { value: 'intruder' }, subscribe: {} }),
      });
      assert.equal(unauthenticated.status, 401);
    } finally {
      await scheduler.close();
    }
  });
});
