/**
 * The Jenkins masters' framework proxy (real HAProxy with the framework-proxy.cfg a jenkins-masters
 * agent's document renders) in front of three real Mesos 1.11.0 masters with their rendered flags,
 * ACLs and credentials (test/support/real-mesos.ts). The only changes to the rendered file: the
 * masters' private addresses mapped to their loopback ones, and a free port to listen on.
 * What the stand-in masters of framework-proxy.test.ts cannot show: real health checks, the
 * principal Mesos records, and a real leader election after the leader dies.
 */
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { renderPoolUserData } from '../../lib/cloud-init';
import { PORTS } from '../../lib/model';
import { freePort } from '../support/loopback-stubs';
import { mesosHttp, probeRealMesos, RealMesosCluster, subscribe } from '../support/real-mesos';
import { testMesosSecret } from '../support/reference-shaped-mesos';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';
import { readWriteFiles } from '../support/zookeeper-cloud-config';
import { poll } from '../support/zookeeper-ensemble';
import { sequentialSteps } from '../support/sequential-steps';

const probe = probeRealMesos();
const missing = (probe.ok ? undefined : probe.reason) ?? missingTool('haproxy', 'haproxy');
const CONFIG = '/etc/mesos-cluster/framework-proxy.cfg';

interface Proxy {
  readonly url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Real HAProxy on the rendered configuration, mapped onto the cluster, with `login` as its secret file would give it. */
async function startProxy(cluster: RealMesosCluster, login: string): Promise<Proxy> {
  const rendered = readWriteFiles(renderPoolUserData(cluster.topology, 'jenkins-masters')).find((f) => f.path === CONFIG);
  assert.ok(rendered, `the jenkins-masters document writes ${CONFIG}`);
  const port = await freePort();
  let config = rendered.content.toString('utf8').split(`bind 127.0.0.1:${PORTS.frameworkProxy}`).join(`bind 127.0.0.1:${port}`);
  for (const master of cluster.topology.mesos.masters) config = config.split(`${master.privateIp}:`).join(`${cluster.loopbackOf(master.privateIp)}:`);
  const dir = mkdtempSync(join(tmpdir(), 'real-framework-proxy-'));
  writeFileSync(join(dir, 'framework-proxy.cfg'), config);
  const child: ChildProcess = spawn('haproxy', ['-f', join(dir, 'framework-proxy.cfg')], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MESOS_FRAMEWORK_LOGIN: login } });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The principal and master of the framework `name`, from the leader's /master/frameworks. */
async function frameworkNamed(cluster: RealMesosCluster, name: string): Promise<any> {
  const { frameworks } = (await cluster.http('/master/frameworks')).json();
  return frameworks.find((f: any) => f.name === name);
}

describe('the framework proxy on real HAProxy, in front of three real Mesos masters', gateOn(missing), () => {
  let cluster: RealMesosCluster;
  let proxy: Proxy;

  const steps = sequentialSteps(async () => `${await cluster.report()}\n--- HAProxy\n${proxy?.output()}`);
  const { step } = steps;

  before(async () => {
    assertToolAvailable(missing);
    if (!probe.ok) return;
    cluster = await RealMesosCluster.start({ runtime: probe.runtime, masters: 3 });
    proxy = await startProxy(cluster, `jenkins:${testMesosSecret('jenkins')}`);
  });

  after(async () => {
    await proxy?.stop();
    await cluster?.dispose(steps.failed);
  });

  step("the masters answer the proxy's health check (GET /api/v1/scheduler as jenkins) as the rendered config expects: 405 from the leader only", async (t) => {
    const leader = await cluster.leader();
    // An elected master answers 503 until it has recovered the registry: wait that out (a loaded machine is slow).
    await poll('the leader to finish recovery', 90_000, 500, async () => {
      const check = await mesosHttp(leader.url, '/api/v1/scheduler', { principal: 'jenkins' });
      return { done: check.status !== 503, value: undefined, describe: `${check.status}` };
    });
    for (const master of cluster.masters) {
      const check = await mesosHttp(master.url, '/api/v1/scheduler', { principal: 'jenkins' });
      if (master === leader) {
        assert.deepEqual([check.status, check.headers.get('allow')], [405, 'POST'], master.name);
      } else {
        // With the master process's /master prefix (reference/mesos/scheduler-endpoint.json read the source without it).
        assert.deepEqual([check.status, check.headers.get('location')], [307, `//${leader.address}:${leader.port}/master/api/v1/scheduler`], master.name);
        t.diagnostic(`${master.name}: 307 Location ${check.headers.get('location')}`);
      }
      const wrong = await mesosHttp(master.url, '/api/v1/scheduler', { principal: 'jenkins', secret: 'notTheStoredOne' });
      assert.deepEqual([wrong.status, wrong.headers.get('www-authenticate')], [401, 'Basic realm="mesos-master-scheduler"'], master.name);
    }
  });

  step("a SUBSCRIBE through the proxy reaches the leader as principal jenkins, whatever credentials the client sent", async (t) => {
    const leader = await cluster.leader();
    const answer = await poll('a subscription through the proxy', 30_000, 500, async () => {
      // The checks find the leader within seconds of HAProxy's start.
      const s = await subscribe(proxy.url, { principal: 'mallory', secret: 'guess', roles: ['*'], name: 'through-the-proxy' }).catch((e: Error) => e);
      if (s instanceof Error) return { done: false, value: undefined, describe: s.message };
      return { done: s.status === 200, value: s, describe: `${s.status} ${s.body.slice(0, 80)}` };
    });
    assert.ok(answer);
    assert.equal(answer.event?.type, 'SUBSCRIBED', JSON.stringify(answer.event));
    assert.equal(answer.event.subscribed.master_info.pid, leader.pid);
    assert.ok(answer.streamId, 'the Mesos-Stream-Id comes back to the client');
    const framework = await poll('the framework in /master/frameworks', 10_000, 300, async () => {
      const all = (await cluster.http('/master/frameworks')).json();
      const found = [...all.frameworks, ...all.completed_frameworks].find((f: any) => f.name === 'through-the-proxy');
      return { done: found !== undefined, value: found, describe: 'not listed' };
    });
    t.diagnostic(`framework ${framework.id}: principal ${framework.principal}, roles ${framework.roles}`);
    assert.equal(framework.principal, 'jenkins');
  });

  step("the ACLs still apply behind the proxy: role marathon is refused even with marathon's own credentials", async () => {
    const answer = await subscribe(proxy.url, { principal: 'marathon', roles: ['marathon'] });
    assert.equal(answer.status, 200);
    assert.equal(answer.event?.type, 'ERROR');
    assert.match(answer.event.error.message, /Not authorized to register framework .* with roles \{ marathon \}/);
  });

  step("a framework's calls with its Mesos-Stream-Id go through to the master of its subscription", async () => {
    const open = await subscribe(proxy.url, { roles: ['*'], name: 'calls-through-the-proxy', keepOpen: true });
    try {
      assert.equal(open.event?.type, 'SUBSCRIBED');
      const frameworkId = open.event.subscribed.framework_id.value;
      const call = (streamId: string) =>
        fetch(`${proxy.url}/api/v1/scheduler`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Mesos-Stream-Id': streamId },
          body: JSON.stringify({ framework_id: { value: frameworkId }, type: 'REVIVE' }),
        });
      assert.equal((await call(open.streamId as string)).status, 202);
      const wrong = await call('00000000-0000-0000-0000-000000000000');
      assert.equal(wrong.status, 400, "the master's own answer to a stream id that is not the framework's");
      assert.equal((await frameworkNamed(cluster, 'calls-through-the-proxy'))?.principal, 'jenkins');
    } finally {
      open.close();
    }
  });

  step('when the leader dies: its subscription ends, the masters elect another, and the proxy sends new subscriptions there', async (t) => {
    const old = await cluster.leader();
    const open = await subscribe(proxy.url, { roles: ['*'], name: 'across-the-failover', keepOpen: true });
    assert.equal(open.event?.subscribed?.master_info?.pid, old.pid);
    await old.kill();
    // HAProxy (on-marked-down shutdown-sessions) or the dying master closes the stream.
    await poll('the open subscription ended', 30_000, 250, async () => {
      const done = await Promise.race([open.ended.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 100))]);
      return { done, value: undefined, describe: 'still open' };
    });
    const leader = await cluster.leader();
    t.diagnostic(`killed ${old.name}; new leader ${leader.name}`);
    const answer = await poll('a subscription through the proxy to the new leader', 60_000, 500, async () => {
      const s = await subscribe(proxy.url, { roles: ['*'], name: 'after-the-failover' }).catch((e: Error) => ({ status: 0, body: e.message, event: undefined }));
      const pid = s.event?.subscribed?.master_info?.pid;
      return { done: s.status === 200 && pid === leader.pid, value: s, describe: `${s.status} ${pid ?? s.body.slice(0, 80)}` };
    });
    assert.equal(answer.event.type, 'SUBSCRIBED');
    assert.match(proxy.output(), new RegExp(`Server leading-master/${old.name} is DOWN`));
  });

  step('with a secret the masters do not hold, every check gets 401: no master is UP and nothing passes', async () => {
    const wrong = await startProxy(cluster, 'jenkins:notTheStoredOne');
    try {
      await poll('every master down behind the wrong secret', 30_000, 500, async () => {
        const answer = await mesosHttp(wrong.url, '/api/v1/scheduler', { body: { type: 'SUBSCRIBE' } }).catch(() => undefined);
        return { done: answer?.status === 503 && /No server is available/.test(answer.text), value: undefined, describe: `${answer?.status}` };
      });
      assert.match(wrong.output(), /is DOWN, reason: Layer7 wrong status, code: 401/);
    } finally {
      await wrong.stop();
    }
  });
});

