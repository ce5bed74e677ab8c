/**
 * The Jenkins masters' framework proxy with tls.mesos: what the agent's document gives HAProxy,
 * and what real HAProxy does with it against HTTPS stand-in masters that serve as libprocess SSL
 * does (a client certificate from the cluster CA required), with certificates made by the
 * project's own CA code (lib/secrets/cluster-ca.ts). HAProxy reads the agent's TLS files from
 * $CREDENTIALS_DIRECTORY, filled here as systemd fills it from the unit's LoadCredential lines.
 * The real Mesos 1.11.0 over TLS: real-mesos-framework-proxy-tls.test.ts.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FRAMEWORK_PROXY_LOGIN, frameworkProxyFiles } from '../../lib/cloud-init/framework-proxy-files';
import { TLS_FILES } from '../../lib/cloud-init/libprocess-tls-files';
import { buildTopology, certificatePlans, ClusterTopology, mesosTlsName, PORTS, poolCaSecret, serverTlsSecret } from '../../lib/model';
import { issue, KeyedCertificate, newClusterCa } from '../../lib/secrets/cluster-ca';
import { exampleCluster } from '../support/aws-synth';
import { freePort } from '../support/loopback-stubs';
import { SCHEDULER_PATH, startStandInMasters, StandInMasters } from '../support/stand-in-mesos-scheduler';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';
import { poll } from '../support/zookeeper-ensemble';

const CONFIG = '/etc/mesos-cluster/framework-proxy.cfg';
const UNIT = '/etc/systemd/system/mesos-framework-proxy.service';
const LOGIN = 'jenkins:s3cretFromTheStore';
const noHaproxy = missingTool('haproxy', 'haproxy');

const tlsTopology = buildTopology(exampleCluster({ tls: { mesos: true } }));
const plainTopology = buildTopology(exampleCluster());
const jenkinsPool = (t: ClusterTopology) => t.pools.find((p) => p.name === 'jenkins-masters')!;
const rendered = (t: ClusterTopology, path: string) => frameworkProxyFiles(t, jenkinsPool(t)).find((f) => f.path === path)!.content;
/** The unit's LoadCredential lines: credential id -> file on the host. */
const credentialsOf = (unit: string) => new Map([...unit.matchAll(/^LoadCredential=([^:\n]+):(\S+)$/gm)].map((m) => [m[1], m[2]]));

describe("the framework proxy's TLS settings in the rendered documents (tls.mesos)", () => {
  it("hands HAProxy the agent's own certificate, its key and the cluster CA as systemd credentials; without tls.mesos none", () => {
    assert.deepEqual(
      [...credentialsOf(rendered(tlsTopology, UNIT)).values()].sort(),
      [TLS_FILES.ca, TLS_FILES.agentChain, TLS_FILES.agentKey].sort(),
    );
    assert.equal(credentialsOf(rendered(plainTopology, UNIT)).size, 0);
  });

  it('sends calls and health checks over TLS, verifying the cluster CA and the masters\' DNS name; without tls.mesos plain HTTP', () => {
    const config = rendered(tlsTopology, CONFIG);
    const tls = [...config.matchAll(/^\s*default-server (ssl .*)$/gm)].map((m) => m[1]);
    assert.deepEqual(tls, [`ssl verify required ca-file "\${CREDENTIALS_DIRECTORY}/cluster-ca.pem" crt "\${CREDENTIALS_DIRECTORY}/agent.pem" verifyhost ${mesosTlsName(tlsTopology.cluster.name)}`]);
    // Every file the configuration names is one the unit hands over; the key goes where HAProxy 2.6 looks for it.
    const credentials = credentialsOf(rendered(tlsTopology, UNIT));
    assert.equal(credentials.get('cluster-ca.pem'), TLS_FILES.ca);
    assert.equal(credentials.get('agent.pem'), TLS_FILES.agentChain);
    assert.equal(credentials.get('agent.pem.key'), TLS_FILES.agentKey);
    assert.doesNotMatch(rendered(plainTopology, CONFIG), /\bssl\b|CREDENTIALS_DIRECTORY/);
  });

  const noAnalyze = missingTool('systemd-analyze', 'systemd');
  it('systemd-analyze verify accepts the unit with its LoadCredential lines', gateOn(noAnalyze), () => {
    assertToolAvailable(noAnalyze);
    const dir = mkdtempSync(join(tmpdir(), 'framework-proxy-tls-unit-'));
    try {
      writeFileSync(join(dir, 'login.env'), `MESOS_FRAMEWORK_LOGIN=${LOGIN}\n`);
      writeFileSync(join(dir, 'mesos-framework-proxy.service'), rendered(tlsTopology, UNIT).split(FRAMEWORK_PROXY_LOGIN.path).join(join(dir, 'login.env')));
      const run = spawnSync('systemd-analyze', ['verify', '--man=no', join(dir, 'mesos-framework-proxy.service')], { encoding: 'utf8' });
      const problems = `${run.stdout}${run.stderr}`.split('\n').filter((l) => l.trim() !== '' && !/sysinit\.target not found/.test(l));
      assert.deepEqual(problems, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the masters' certificate carries the name HAProxy checks", () => {
    const master = certificatePlans(tlsTopology).find((p) => p.secret === serverTlsSecret('master'))!;
    assert.ok(master.kind === 'server' && master.dnsNames?.includes(mesosTlsName(tlsTopology.cluster.name)));
  });
});

/** The certificates of one run: the cluster CA's, a master's, the agent's chain and another CA's. */
interface Certificates {
  readonly ca: KeyedCertificate;
  readonly master: KeyedCertificate;
  readonly agentChain: string;
  readonly agentKey: string;
  /** Same plan, another CA. */
  readonly foreign: KeyedCertificate;
  /** The cluster CA's, without the masters' name (Marathon's). */
  readonly marathon: KeyedCertificate;
  /** Signed by the agents' pool CA for the masters' name, chain included. */
  readonly forged: KeyedCertificate;
}

/** The chain a server presents: its certificate, then its issuer's. */
const chained = (leaf: KeyedCertificate, issuer: KeyedCertificate): KeyedCertificate => ({ certificatePem: `${leaf.certificatePem.trim()}\n${issuer.certificatePem.trim()}\n`, keyPem: leaf.keyPem });

async function makeCertificates(): Promise<Certificates> {
  const plans = certificatePlans(tlsTopology);
  const plan = (secret: string) => plans.find((p) => p.secret === secret)!;
  // The stand-ins listen on loopback: the plans as they are, at 127.0.0.1.
  const onLoopback = (secret: string) => ({ ...plan(secret), ips: ['127.0.0.1'] }) as Extract<ReturnType<typeof plan>, { kind: 'server' }>;
  const ca = await newClusterCa(tlsTopology.cluster.name);
  const pool = await issue(ca, { ...plan(poolCaSecret('jenkins-masters')), cidrs: ['127.0.0.0/8'] } as Extract<ReturnType<typeof plan>, { kind: 'pool-ca' }>);
  const agent = await issue(pool, { secret: 'agent', kind: 'server', commonName: 'jenkins-masters-i-1 127.0.0.1', ips: ['127.0.0.1'] });
  const forged = await issue(pool, { secret: 'forged', kind: 'server', commonName: 'forged', ips: ['127.0.0.1'], dnsNames: [mesosTlsName(tlsTopology.cluster.name)] });
  return {
    ca,
    master: await issue(ca, onLoopback(serverTlsSecret('master'))),
    agentChain: chained(agent, pool).certificatePem,
    agentKey: agent.keyPem,
    foreign: await issue(await newClusterCa('another'), onLoopback(serverTlsSecret('master'))),
    marathon: await issue(ca, onLoopback(serverTlsSecret('marathon'))),
    forged: chained(forged, pool),
  };
}

interface RunningProxy {
  readonly url: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Real HAProxy on the rendered configuration, the masters' addresses mapped to the stand-ins',
 * with $CREDENTIALS_DIRECTORY filled from the rendered unit's LoadCredential lines.
 */
async function startProxy(stand: StandInMasters, certificates: Certificates): Promise<RunningProxy> {
  const dir = mkdtempSync(join(tmpdir(), 'framework-proxy-tls-'));
  const onHost: Record<string, string> = { [TLS_FILES.ca]: certificates.ca.certificatePem, [TLS_FILES.agentChain]: certificates.agentChain, [TLS_FILES.agentKey]: certificates.agentKey };
  mkdirSync(join(dir, 'credentials'));
  for (const [id, path] of credentialsOf(rendered(tlsTopology, UNIT))) writeFileSync(join(dir, 'credentials', id), onHost[path], { mode: 0o400 });
  const port = await freePort();
  let config = rendered(tlsTopology, CONFIG).split(`bind 127.0.0.1:${PORTS.frameworkProxy}`).join(`bind 127.0.0.1:${port}`);
  tlsTopology.mesos.masters.forEach((m, i) => (config = config.split(`${m.privateIp}:${PORTS.mesosMaster}`).join(stand.masters[i].endpoint)));
  writeFileSync(join(dir, 'proxy.cfg'), config);
  const env = { ...process.env, MESOS_FRAMEWORK_LOGIN: LOGIN, CREDENTIALS_DIRECTORY: join(dir, 'credentials') };
  const check = spawnSync('haproxy', ['-c', '-f', join(dir, 'proxy.cfg')], { encoding: 'utf8', env });
  assert.equal(check.status, 0, `haproxy -c: ${check.stdout}${check.stderr}`);
  const proxy = spawn('haproxy', ['-f', join(dir, 'proxy.cfg')], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  proxy.stdout.on('data', (chunk) => (output += chunk));
  proxy.stderr.on('data', (chunk) => (output += chunk));
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    stop: async () => {
      if (proxy.exitCode === null && proxy.signalCode === null) {
        const exited = new Promise((resolve) => proxy.once('exit', resolve));
        proxy.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A SUBSCRIBE through the proxy: its status and the first bytes of its stream. */
async function subscribe(url: string): Promise<{ status: number; body: string }> {
  const controller = new AbortController();
  const response = await fetch(`${url}${SCHEDULER_PATH}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"type":"SUBSCRIBE"}', signal: controller.signal });
  const reader = response.body!.getReader();
  const first = await reader.read();
  controller.abort();
  return { status: response.status, body: first.value ? Buffer.from(first.value).toString('utf8') : '' };
}

describe('the framework proxy with tls.mesos on real HAProxy, against HTTPS stand-in masters', gateOn(noHaproxy), () => {
  let certificates: Certificates;
  const running: { stop(): Promise<void> }[] = [];

  before(async () => {
    assertToolAvailable(noHaproxy);
    certificates = await makeCertificates();
  });

  after(async () => {
    for (const r of running.reverse()) await r.stop();
  });

  /** Three stand-ins that all present `certificate`, master-1 leading, and the proxy in front. */
  async function behindProxy(certificate: KeyedCertificate): Promise<{ stand: StandInMasters; proxy: RunningProxy }> {
    const stand = await startStandInMasters(3, LOGIN, 200, { ca: certificates.ca.certificatePem, certificates: [certificate, certificate, certificate] });
    running.push({ stop: () => stand.close() });
    const proxy = await startProxy(stand, certificates);
    running.push(proxy);
    return { stand, proxy };
  }

  it("a subscription reaches the leader over TLS with the agent's certificate and principal jenkins's credentials; the checks find it over TLS too", async () => {
    const { stand, proxy } = await behindProxy(certificates.master);
    const answer = await poll('a subscription through the proxy', 20_000, 250, async () => {
      const s = await subscribe(proxy.url).catch((e: Error) => ({ status: 0, body: e.message }));
      return { done: s.status === 200, value: s, describe: `${s.status} ${s.body.slice(0, 80)}\n${proxy.output()}` };
    });
    assert.match(answer.body, /SUBSCRIBED/);
    const posts = stand.masters[0].seen.filter((r) => r.method === 'POST');
    assert.ok(posts.length > 0);
    assert.deepEqual(posts.at(-1), { method: 'POST', url: SCHEDULER_PATH, authorization: `Basic ${Buffer.from(LOGIN).toString('base64')}`, clientCertificate: 'jenkins-masters-i-1 127.0.0.1' });
    // The checks (GET as jenkins) reach every master over TLS (the leader's 405 made it UP), each within its first interval.
    await poll('a check over TLS at every master', 20_000, 250, async () => {
      const unchecked = stand.masters.filter((m) => !m.seen.some((r) => r.method === 'GET' && r.clientCertificate === 'jenkins-masters-i-1 127.0.0.1'));
      return { done: unchecked.length === 0, value: undefined, describe: `not yet checked: ${unchecked.map((m) => m.name).join(', ')}` };
    });
    assert.equal(stand.masters.slice(1).flatMap((m) => m.seen.filter((r) => r.method === 'POST')).length, 0, 'no POST reached a master that does not lead');
  });

  // HAProxy's reasons: the chain fails verification during the handshake; the name is checked after it.
  const HANDSHAKE = 'SSL handshake failure';
  const NAME = 'Server presented an SSL certificate different from the configured one';
  for (const [what, pick, reason] of [
    ["another CA's certificate for the masters' addresses", (c: Certificates) => c.foreign, HANDSHAKE],
    ["the cluster CA's certificate without the masters' name (Marathon's)", (c: Certificates) => c.marathon, NAME],
    ["a certificate for the masters' name signed by an agent pool's CA", (c: Certificates) => c.forged, HANDSHAKE],
  ] as const) {
    it(`refuses masters that present ${what}: no request, credentials or check, reaches them`, async () => {
      const { stand, proxy } = await behindProxy(pick(certificates));
      await poll('every master DOWN', 30_000, 250, async () => {
        const down = stand.masters.filter((m) => new RegExp(`Server leading-master/${m.name} is DOWN`).test(proxy.output())).length;
        return { done: down === 3, value: undefined, describe: `${down} of 3 DOWN\n${proxy.output()}` };
      });
      const answer = await subscribe(proxy.url);
      assert.equal(answer.status, 503);
      assert.match(answer.body, /No server is available/);
      assert.deepEqual(stand.masters.map((m) => m.seen.length), [0, 0, 0]);
      assert.ok(proxy.output().includes(`reason: Layer6 invalid response, info: "${reason}"`), proxy.output());
    });
  }
});
