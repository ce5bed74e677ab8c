/**
 * The Jenkins masters' HAProxy to the leading Mesos master: where the documents put it, and what
 * real HAProxy does with its configuration against stand-in masters (their answers are
 * reference/mesos/scheduler-endpoint.json's), which can play what real masters cannot be made to
 * do on cue: a held-back redirect, no leader at all, heartbeats every 200 ms. Real masters:
 * real-mesos-framework-proxy.test.ts.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FRAMEWORK_PROXY_LOGIN, FRAMEWORK_PROXY_URL, frameworkProxyConfig } from '../../lib/cloud-init/framework-proxy-files';
import { hostsJenkinsMasters, PORTS } from '../../lib/model';
import { fileAt, fixtureTopologies, parseCloudConfig, renderAll, unitActivation } from '../support/cloud-init-fixtures';
import { freePort } from '../support/loopback-stubs';
import { SCHEDULER_PATH, startStandInMasters, StandInMasters } from '../support/stand-in-mesos-scheduler';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';
import { poll } from '../support/zookeeper-ensemble';

const CONFIG = '/etc/mesos-cluster/framework-proxy.cfg';
const UNIT = '/etc/systemd/system/mesos-framework-proxy.service';
const LOGIN = 'jenkins:s3cretFromTheStore';
const noHaproxy = missingTool('haproxy', 'haproxy');

/** Every agent document of every example cluster, with whether its pool hosts Jenkins masters. */
const agentDocuments = fixtureTopologies().flatMap(({ name, topology }) =>
  renderAll(topology)
    .filter((d) => topology.pools.some((p) => d.id === `${name}/${p.name}`))
    .map((d) => ({ id: d.id, topology, hosts: hostsJenkinsMasters(topology.pools.find((p) => d.id === `${name}/${p.name}`)!), config: parseCloudConfig(d.text) })),
);

describe("the Jenkins masters' framework proxy in the rendered documents", () => {
  it('runs on the agents of pools that host Jenkins masters, checked in the image first; every other agent masks it', () => {
    assert.ok(agentDocuments.some((d) => d.hosts) && agentDocuments.some((d) => !d.hosts));
    for (const { id, hosts, config } of agentDocuments) {
      const { enable, mask } = unitActivation(config);
      const configure = fileAt(config, '/usr/local/lib/mesos-cluster/configure-node')!.content;
      if (hosts) {
        assert.ok(enable.includes('mesos-framework-proxy'), id);
        assert.ok(fileAt(config, CONFIG) && fileAt(config, UNIT), id);
        assert.match(configure, /check-image" [^\n]*framework-proxy/, `${id}: haproxy is checked before anything starts`);
      } else {
        assert.ok(mask.includes('mesos-framework-proxy'), id);
        assert.equal(fileAt(config, CONFIG), undefined, id);
        assert.doesNotMatch(configure, /check-image" [^\n]*framework-proxy/, id);
      }
    }
  });

  it("sends to each of the cluster's masters at its address, and listens on the agent's loopback only", () => {
    for (const { id, topology, config } of agentDocuments.filter((d) => d.hosts)) {
      const text = fileAt(config, CONFIG)!.content;
      assert.deepEqual([...text.matchAll(/^\s*bind (\S+)/gm)].map((m) => m[1]), [`127.0.0.1:${PORTS.frameworkProxy}`], id);
      assert.deepEqual(
        [...text.matchAll(/^\s*server (\S+) (\S+) check$/gm)].map((m) => `${m[1]} ${m[2]}`),
        topology.mesos.masters.map((m) => `${m.name} ${m.privateIp}:${PORTS.mesosMaster}`),
        id,
      );
      assert.equal(FRAMEWORK_PROXY_URL, `http://127.0.0.1:${PORTS.frameworkProxy}`);
    }
  });

  it("takes principal jenkins's secret from the root-only file fetch-secrets writes; the document holds only its placeholder", () => {
    for (const { id, config } of agentDocuments.filter((d) => d.hosts)) {
      const unit = fileAt(config, UNIT)!.content;
      assert.match(unit, new RegExp(`^EnvironmentFile=${FRAMEWORK_PROXY_LOGIN.path}$`, 'm'), id);
      const manifest = fileAt(config, '/etc/mesos-cluster/secrets.manifest')!.content;
      assert.match(manifest, new RegExp(` ${FRAMEWORK_PROXY_LOGIN.path} 0400 root:root$`, 'm'), id);
      const template = fileAt(config, '/etc/mesos-cluster/secret-templates/mesos-framework-proxy.env')!.content;
      assert.equal(template, 'MESOS_FRAMEWORK_LOGIN=jenkins:{{frameworks/jenkins/mesos-secret}}', id);
    }
  });

  it('haproxy -c accepts the configuration', gateOn(noHaproxy), () => {
    assertToolAvailable(noHaproxy);
    const dir = mkdtempSync(join(tmpdir(), 'framework-proxy-'));
    try {
      const file = join(dir, 'framework-proxy.cfg');
      writeFileSync(file, fileAt(agentDocuments.find((d) => d.hosts)!.config, CONFIG)!.content);
      const run = spawnSync('haproxy', ['-c', '-f', file], { encoding: 'utf8', env: { ...process.env, MESOS_FRAMEWORK_LOGIN: LOGIN } });
      assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const noAnalyze = missingTool('systemd-analyze', 'systemd');
  it('systemd-analyze verify accepts the unit', gateOn(noAnalyze), () => {
    assertToolAvailable(noAnalyze);
    const dir = mkdtempSync(join(tmpdir(), 'framework-proxy-unit-'));
    try {
      // Its EnvironmentFile is written at boot: a scratch copy stands in for it.
      writeFileSync(join(dir, 'login.env'), `MESOS_FRAMEWORK_LOGIN=${LOGIN}\n`);
      const unit = fileAt(agentDocuments.find((d) => d.hosts)!.config, UNIT)!.content.split(FRAMEWORK_PROXY_LOGIN.path).join(join(dir, 'login.env'));
      writeFileSync(join(dir, 'mesos-framework-proxy.service'), unit);
      const run = spawnSync('systemd-analyze', ['verify', '--man=no', join(dir, 'mesos-framework-proxy.service')], { encoding: 'utf8' });
      const problems = `${run.stdout}${run.stderr}`.split('\n').filter((l) => l.trim() !== '' && !/sysinit\.target not found/.test(l));
      assert.deepEqual(problems, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * An HTTP exchange through the proxy: its status, headers and body, read until `enough` says so
 * (`ended` false) or the response ends or breaks off (`ended` true).
 */
function exchange(
  address: string,
  { method = 'POST', path = SCHEDULER_PATH, headers = {}, enough = () => false }: { method?: string; path?: string; headers?: Record<string, string>; enough?: (body: string) => boolean } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string; ended: boolean }> {
  const [host, port] = address.split(':');
  return new Promise((resolve, reject) => {
    const req = request({ host, port: Number(port), method, path, headers: { 'Content-Type': 'application/json', ...headers } }, (response) => {
      let body = '';
      let settled = false;
      const done = (ended: boolean) => {
        if (!settled) resolve({ status: response.statusCode!, headers: response.headers, body, ended });
        settled = true;
      };
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
        if (enough(body)) {
          done(false);
          req.destroy();
        }
      });
      response.on('end', () => done(true));
      response.on('close', () => done(true));
      response.on('error', () => done(true));
    });
    req.on('error', reject);
    req.end(method === 'POST' ? '{"type":"SUBSCRIBE"}' : undefined);
  });
}

/** `promise`, or a failure after `seconds`. */
function within<T>(seconds: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`not within ${seconds} s: ${what}`)), seconds * 1000)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** The subscription's events so far (RecordIO records), by type. */
const eventTypes = (body: string) => [...body.matchAll(/"type":"([A-Z]+)"/g)].map((m) => m[1]);

/** Polls `check` every 250 ms for up to 20 s: HAProxy checks a master every 1 to 5 s. */
const eventually = (what: string, check: () => Promise<boolean>): Promise<void> =>
  poll(what, 20_000, 250, async () => ({ done: await check(), value: undefined, describe: 'not yet' }));

const schedulerPosts = (stand: StandInMasters, index: number) => stand.masters[index].seen.filter((r) => r.method === 'POST');

/** A running HAProxy with the rendered configuration: its address and what it said, for failures. */
interface RunningProxy {
  readonly address: string;
  output(): string;
  stop(): Promise<void>;
}

async function startProxy(stand: StandInMasters, login: string): Promise<RunningProxy> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'framework-proxy-run-'));
  writeFileSync(join(dir, 'proxy.cfg'), frameworkProxyConfig(stand.masters, port));
  const proxy = spawn('haproxy', ['-f', join(dir, 'proxy.cfg')], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MESOS_FRAMEWORK_LOGIN: login } });
  let output = '';
  proxy.stdout.on('data', (chunk) => (output += chunk));
  proxy.stderr.on('data', (chunk) => (output += chunk));
  return {
    address: `127.0.0.1:${port}`,
    output: () => output,
    stop: async () => {
      proxy.kill('SIGTERM');
      if (proxy.exitCode === null) await new Promise((resolve) => proxy.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The proxy's own 503s (no master UP; a redirect it held back), told apart from a master's. */
const NO_LEADER = 'No server is available';
const MOVED = 'the leading Mesos master moved';

describe('on real HAProxy, against stand-in Mesos masters', gateOn(noHaproxy), () => {
  let stand: StandInMasters;
  let proxy: RunningProxy;
  let address = '';

  before(async () => {
    assertToolAvailable(noHaproxy);
    stand = await startStandInMasters(3, LOGIN);
    proxy = await startProxy(stand, LOGIN);
    address = proxy.address;
    try {
      await eventually('the proxy reaches the first leader', async () => (await exchange(address, { enough: () => true }).catch(() => ({ status: 0 }))).status === 200);
    } catch (error) {
      throw new Error(`${(error as Error).message}\nHAProxy said:\n${proxy.output()}`);
    }
  });

  after(async () => {
    await proxy?.stop();
    await stand?.close();
  });

  it("passes a subscription to the leader only, with principal jenkins's credentials in place of the client's", async () => {
    const before = [1, 2].map((i) => schedulerPosts(stand, i).length);
    const { status, headers } = await exchange(address, { headers: { Authorization: 'Basic bWFsbG9yeTpndWVzcw==' }, enough: (b) => b.includes('SUBSCRIBED') });
    assert.equal(status, 200);
    assert.match(String(headers['mesos-stream-id']), /^stream-master-1-\d+$/, 'the stream id comes back to the client');
    const last = schedulerPosts(stand, 0).at(-1)!;
    assert.equal(last.authorization, `Basic ${Buffer.from(LOGIN).toString('base64')}`);
    assert.deepEqual([1, 2].map((i) => schedulerPosts(stand, i).length), before, 'no POST reached a master that does not lead');
  });

  it("passes the framework's calls, with their Mesos-Stream-Id, to the master of its subscription", async () => {
    const { headers } = await exchange(address, { enough: (b) => b.includes('SUBSCRIBED') });
    const streamId = String(headers['mesos-stream-id']);
    assert.equal((await exchange(address, { headers: { 'Mesos-Stream-Id': streamId } })).status, 202);
    assert.equal(schedulerPosts(stand, 0).at(-1)!.authorization, `Basic ${Buffer.from(LOGIN).toString('base64')}`);
    assert.equal((await exchange(address, { headers: { 'Mesos-Stream-Id': 'stream-of-someone-else' } })).status, 400, "the master's own answer");
  });

  it('streams the subscription: events reach the client while the response is still open', async () => {
    const { body, ended } = await exchange(address, { enough: (b) => eventTypes(b).filter((t) => t === 'HEARTBEAT').length >= 3 });
    assert.equal(ended, false);
    assert.deepEqual(eventTypes(body).slice(0, 4), ['SUBSCRIBED', 'HEARTBEAT', 'HEARTBEAT', 'HEARTBEAT']);
  });

  it('refuses everything but POST /api/v1/scheduler itself, and none of it reaches a master', async () => {
    const seen = stand.masters.map((m) => m.seen.filter((r) => r.url !== SCHEDULER_PATH || r.method !== 'GET').length);
    for (const [method, path] of [['GET', '/master/state'], ['POST', '/api/v1'], ['POST', '/master/teardown'], ['GET', SCHEDULER_PATH], ['POST', `${SCHEDULER_PATH}/x`]]) {
      assert.equal((await exchange(address, { method, path })).status, 403, `${method} ${path}`);
    }
    // Health checks (GET /api/v1/scheduler) go on meanwhile; nothing else arrived.
    assert.deepEqual(stand.masters.map((m) => m.seen.filter((r) => r.url !== SCHEDULER_PATH || r.method !== 'GET').length), seen);
  });

  it('when the lead moves: holds back the old leader\'s redirect, ends its subscriptions, and sends new ones to the new leader', async () => {
    const posts = schedulerPosts(stand, 0).length;
    const open = exchange(address);
    await eventually('the subscription reaches master-1', async () => schedulerPosts(stand, 0).length > posts);
    stand.lead(2);
    // The checks see the move seconds later: until then master-1 still gets the calls, and redirects them.
    const early = await exchange(address);
    assert.equal(early.status, 503);
    assert.match(early.body, new RegExp(MOVED), 'a 503 of the proxy, not the 307 past it');
    assert.equal(early.headers.location, undefined);
    const { body, ended } = await within(20, 'the proxy ends the subscription', open);
    assert.equal(ended, true);
    assert.equal(eventTypes(body)[0], 'SUBSCRIBED');
    await eventually('a subscription reaches master-3', async () => {
      const { status, headers } = await exchange(address, { enough: () => true });
      return status === 200 && String(headers['mesos-stream-id']).startsWith('stream-master-3-');
    });
  });

  it('answers 503 while no master leads, and passes nothing on', async () => {
    stand.lead(undefined);
    // The old leader answers 503 itself too (no leader to redirect to) until its checks fail.
    const fromProxy = async () => {
      const { status, body } = await exchange(address);
      return status === 503 && body.includes(NO_LEADER);
    };
    await eventually('the proxy has no leader', fromProxy);
    const posts = stand.masters.map((_, i) => schedulerPosts(stand, i).length);
    assert.ok(await fromProxy());
    assert.deepEqual(stand.masters.map((_, i) => schedulerPosts(stand, i).length), posts);
    stand.lead(0);
  });

  it('with a secret the masters do not hold: no master is UP (401 to every check), and the proxy passes nothing on', async () => {
    const wrong = await startProxy(stand, 'jenkins:notTheStoredOne');
    try {
      await eventually('every master is down', async () => {
        const { status, body } = await exchange(wrong.address).catch(() => ({ status: 0, body: '' }));
        return status === 503 && body.includes(NO_LEADER);
      });
      assert.match(wrong.output(), /is DOWN, reason: Layer7 wrong status, code: 401/);
    } finally {
      await wrong.stop();
    }
  });
});
