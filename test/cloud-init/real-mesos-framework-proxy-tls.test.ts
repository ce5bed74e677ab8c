/**
 * The framework proxy with tls.mesos in front of the real Mesos 1.11.0 over libprocess SSL: a
 * master started with the LIBPROCESS_SSL_* environment a master's document renders, on the
 * certificate `npm run secrets` plans for the masters (its addresses and mesos.<cluster>.internal),
 * made by the project's CA code; real HAProxy on the configuration and unit a jenkins-masters
 * agent's document renders, with the certificate the agent signs itself at boot (issue-agent-cert)
 * handed over as systemd would ($CREDENTIALS_DIRECTORY from the unit's LoadCredential lines).
 * Last, the edge's route reader with the options its rendered unit passes, presenting `tls/edge`.
 * The master runs standalone and without the rendered authentication flags, as in
 * real-mesos-tls.test.ts: this is about the wire; the principal is real-mesos-framework-proxy.test.ts's.
 */
import assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EDGE_TLS_FILE, edgeFiles } from '../../lib/cloud-init/edge-files';
import { frameworkProxyFiles } from '../../lib/cloud-init/framework-proxy-files';
import { TLS_FILES } from '../../lib/cloud-init/libprocess-tls-files';
import { mesosMasterFiles } from '../../lib/cloud-init/mesos-master-files';
import { pythonExecutable } from '../../lib/emulator/python-interpreter';
import { buildTopology, certificatePlans, EDGE_TLS_SECRET, PORTS, poolCaSecret, serverTlsSecret } from '../../lib/model';
import { bundlePem, issue, KeyedCertificate, newClusterCa } from '../../lib/secrets/cluster-ca';
import { exampleCluster } from '../support/aws-synth';
import { EDGE_ROUTES_SCRIPT, edgeNginxLayout } from '../support/edge-nginx';
import { MesosBuild, probeMesosBuild } from '../support/mesos-build';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';
import { poll, sleep } from '../support/zookeeper-ensemble';
import { killGroup } from '../support/zookeeper-runtime';
import { freePort } from '../support/loopback-stubs';

const probe = probeMesosBuild();
const missing = (probe.ok ? undefined : probe.reason) ?? missingTool('haproxy', 'haproxy') ?? missingTool('openssl', 'openssl') ?? missingTool('nginx', 'nginx-light');
const ISSUE_AGENT_CERT = join(__dirname, '..', '..', 'cloud-init', 'scripts', 'issue-agent-cert.sh');
const CONFIG = '/etc/mesos-cluster/framework-proxy.cfg';
const UNIT = '/etc/systemd/system/mesos-framework-proxy.service';
const SCHEDULER = '/api/v1/scheduler';
const topology = buildTopology(exampleCluster({ tls: { mesos: true } }));
const pool = topology.pools.find((p) => p.name === 'jenkins-masters')!;


/** The variables of a master's rendered /etc/default/mesos, the files under `root`. */
function masterEnvironment(root: string): Record<string, string> {
  const file = mesosMasterFiles(topology, topology.mesos.masters[0]).find((f) => f.path === '/etc/default/mesos')!;
  const lines = file.content.split('\n').filter((l) => /^LIBPROCESS_SSL_[A-Z_0-9]+=/.test(l));
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]).map(([k, v]) => [k, v.startsWith('/etc/') ? join(root, v) : v]));
}

/** The build's environment without OpenSSL's SSL_* and any LIBPROCESS_* of the caller. */
const cleanEnvironment = (build: MesosBuild): NodeJS.ProcessEnv => Object.fromEntries(Object.entries(build.env).filter(([key]) => !key.startsWith('SSL_') && !key.startsWith('LIBPROCESS_')));

const rendered = (path: string) => frameworkProxyFiles(topology, pool).find((f) => f.path === path)!.content;

describe('the framework proxy (real HAProxy) and the edge\'s route reader with tls.mesos, in front of the real Mesos 1.11.0 over TLS', gateOn(missing), () => {
  const build = probe.ok ? probe.build : (undefined as unknown as MesosBuild);
  const dir = mkdtempSync(join(tmpdir(), 'real-framework-proxy-tls-'));
  // Not the ranges of real-mesos-tls.test.ts (127.100-249.x.x) or the 127.0.k.x of the others.
  const net = `127.${20 + Math.floor(Math.random() * 70)}.${Math.floor(Math.random() * 250)}.`;
  const masterAddress = `${net}21`;
  const agentAddress = `${net}31`;
  const masterRoot = join(dir, 'master');
  const agentRoot = join(dir, 'agent');
  const children: ChildProcess[] = [];
  let ca: KeyedCertificate;
  let masterPort = 0;
  let masterLog = '';

  /** Real HAProxy on the rendered files; `files` replaces what the agent's host holds at a path. */
  async function startProxy(name: string, files: Record<string, string> = {}): Promise<{ url: string; output(): string }> {
    const run = join(dir, name);
    mkdirSync(join(run, 'credentials'), { recursive: true });
    for (const [, id, path] of rendered(UNIT).matchAll(/^LoadCredential=([^:\n]+):(\S+)$/gm)) {
      writeFileSync(join(run, 'credentials', id), files[path] ?? readFileSync(join(agentRoot, path)), { mode: 0o400 });
    }
    const port = await freePort('127.0.0.1');
    let config = rendered(CONFIG).split(`bind 127.0.0.1:${PORTS.frameworkProxy}`).join(`bind 127.0.0.1:${port}`);
    // master-1 is the real one; the other two listen nowhere (DOWN, as a dead master).
    for (const [i, m] of topology.mesos.masters.entries()) {
      config = config.split(`${m.privateIp}:${PORTS.mesosMaster}`).join(i === 0 ? `${masterAddress}:${masterPort}` : `${net}${22 + i}:${await freePort('127.0.0.1')}`);
    }
    writeFileSync(join(run, 'proxy.cfg'), config);
    const child = spawn('haproxy', ['-f', join(run, 'proxy.cfg')], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, MESOS_FRAMEWORK_LOGIN: 'jenkins:unused-here', CREDENTIALS_DIRECTORY: join(run, 'credentials') },
    });
    children.push(child);
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    return { url: `http://127.0.0.1:${port}`, output: () => output };
  }

  /** A SUBSCRIBE through the proxy: its status, Mesos-Stream-Id and first event. */
  async function subscribe(url: string): Promise<{ status: number; streamId: string | null; event?: any; text: string }> {
    const controller = new AbortController();
    const body = JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'nobody', name: 'through-the-tls-proxy', roles: ['*'], capabilities: [{ type: 'MULTI_ROLE' }] } } });
    const response = await fetch(`${url}${SCHEDULER}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body, signal: controller.signal });
    if (response.status !== 200) return { status: response.status, streamId: null, text: await response.text() };
    let text = '';
    const reader = response.body!.getReader();
    // RecordIO: "<length>\n<record>"; the first record is SUBSCRIBED (or ERROR).
    const whole = () => {
      const header = /^(\d+)\n/.exec(text);
      return header !== null && Buffer.byteLength(text) >= header[0].length + Number(header[1]);
    };
    while (!whole()) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString('utf8');
    }
    controller.abort();
    const record = /^(\d+)\n/.exec(text);
    const event = record ? JSON.parse(text.slice(record[0].length, record[0].length + Number(record[1]))) : undefined;
    return { status: response.status, streamId: response.headers.get('mesos-stream-id'), event, text };
  }

  /** GET over HTTPS from the master itself (its certificate as the client's). */
  const masterGet = (path: string) =>
    new Promise<any>((resolve, reject) => {
      const bundle = readFileSync(join(masterRoot, TLS_FILES.server), 'utf8');
      const req = httpsRequest({ host: masterAddress, port: masterPort, path, ca: ca.certificatePem, cert: bundle, key: bundle, timeout: 5_000 }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`${res.statusCode} ${text}`))));
      });
      req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
      req.on('error', reject);
      req.end();
    });
  const tail = () => readFileSync(masterLog, 'utf8').split('\n').slice(-15).join('\n');

  before(async () => {
    assertToolAvailable(missing);
    ca = await newClusterCa(topology.cluster.name);
    const plans = certificatePlans(topology);
    const masterPlan = plans.find((p) => p.secret === serverTlsSecret('master'))!;
    const poolPlan = plans.find((p) => p.secret === poolCaSecret(pool.name))!;
    assert.ok(masterPlan.kind === 'server' && poolPlan.kind === 'pool-ca');
    // As `npm run secrets` plans them, at this test's loopback addresses.
    const masterBundle = bundlePem(await issue(ca, { ...masterPlan, ips: [masterAddress] }));
    const poolBundle = bundlePem(await issue(ca, { ...poolPlan, cidrs: [`${net}0/24`] }));
    for (const [root, files] of [
      [masterRoot, { [TLS_FILES.ca]: ca.certificatePem, [TLS_FILES.server]: masterBundle }],
      [agentRoot, { [TLS_FILES.ca]: ca.certificatePem, [TLS_FILES.poolCa]: poolBundle }],
    ] as const) {
      mkdirSync(join(root, 'etc', 'mesos-cluster', 'secrets'), { recursive: true });
      for (const [path, value] of Object.entries(files)) writeFileSync(join(root, path), value.trimEnd(), { mode: 0o400 });
    }
    writeFileSync(join(agentRoot, 'etc', 'mesos-cluster', 'node.env'), `CLUSTER_NODE_NAME=jenkins-masters-i-1\nCLUSTER_NODE_IP=${agentAddress}\n`);
    const issued = spawnSync('bash', [ISSUE_AGENT_CERT, TLS_FILES.ca, TLS_FILES.poolCa, TLS_FILES.agentChain, TLS_FILES.agentKey], { env: { ...process.env, MESOS_CLUSTER_ROOT: agentRoot }, encoding: 'utf8' });
    assert.equal(issued.status, 0, issued.stderr);

    masterPort = await freePort(masterAddress);
    masterLog = join(dir, 'master.log');
    const fd = openSync(masterLog, 'a');
    const args = [`--ip=${masterAddress}`, `--hostname=${masterAddress}`, `--port=${masterPort}`, `--work_dir=${join(masterRoot, 'work')}`, '--registry=replicated_log'];
    const master = spawn('timeout', ['-s', 'KILL', '240s', build.masterBinary, ...args], { env: { ...cleanEnvironment(build), ...masterEnvironment(masterRoot) }, detached: true, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    children.push(master);
    await poll('the master to serve HTTPS', 60_000, 500, async () => {
      const health = await masterGet('/master/state').then(() => 'ok', (e: Error) => e.message);
      return { done: health === 'ok', value: undefined, describe: `${health}\n${tail()}` };
    });
  });

  after(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) killGroup(child, 'SIGKILL');
    await sleep(200);
    rmSync(dir, { recursive: true, force: true });
  });

  it("a SUBSCRIBE through the proxy reaches the TLS master with the agent's own certificate, and the master lists the framework", { timeout: 120_000 }, async () => {
    const proxy = await startProxy('agent-certificate');
    const answer = await poll('a subscription through the proxy', 60_000, 500, async () => {
      const s = await subscribe(proxy.url).catch((e: Error) => ({ status: 0, streamId: null, event: undefined, text: e.message }));
      return { done: s.status === 200, value: s, describe: `${s.status} ${s.text.slice(0, 120)}\n--- HAProxy\n${proxy.output()}\n--- master\n${tail()}` };
    });
    assert.equal(answer.event?.type, 'SUBSCRIBED', answer.text);
    assert.ok(answer.streamId);
    const frameworkId = answer.event.subscribed.framework_id.value;
    const state = await masterGet('/master/frameworks');
    assert.ok([...state.frameworks, ...state.completed_frameworks].some((f: any) => f.id === frameworkId && f.name === 'through-the-tls-proxy'));
    // The leader's check (GET: 405) made master-1 UP; the others never answered.
    assert.match(proxy.output(), /leading-master\/master-2 is DOWN/);
    assert.doesNotMatch(proxy.output(), /leading-master\/master-1 is DOWN/);
  });

  it("with another CA as the cluster CA's file, HAProxy refuses the real master's certificate: no master is UP", async () => {
    const proxy = await startProxy('other-ca', { [TLS_FILES.ca]: (await newClusterCa('another')).certificatePem });
    await poll('master-1 DOWN', 30_000, 250, async () => ({ done: /leading-master\/master-1 is DOWN/.test(proxy.output()), value: undefined, describe: proxy.output() }));
    assert.match(proxy.output(), /master-1 is DOWN, reason: Layer6 invalid response, info: "SSL handshake failure"/);
    const answer = await subscribe(proxy.url);
    assert.equal(answer.status, 503);
    assert.match(answer.text, /No server is available/);
  });

  it("with a client certificate from another CA, the real master refuses HAProxy's handshake", async (t) => {
    const other = await newClusterCa('another');
    const forged = await issue(other, { secret: 'agent', kind: 'server', commonName: 'impostor', ips: [agentAddress] });
    const proxy = await startProxy('other-client-ca', { [TLS_FILES.agentChain]: forged.certificatePem, [TLS_FILES.agentKey]: forged.keyPem });
    await poll('master-1 DOWN', 30_000, 250, async () => ({ done: /leading-master\/master-1 is DOWN/.test(proxy.output()), value: undefined, describe: proxy.output() }));
    const down = /master-1 is DOWN, reason: [^,]+(, info: "[^"]*")?/.exec(proxy.output());
    assert.match(down?.[0] ?? proxy.output(), /reason: Layer[46]/);
    t.diagnostic(down![0]);
    assert.equal((await subscribe(proxy.url)).status, 503);
  });

  it("the edge's route reader, with its rendered --mesos-* options and tls/edge as npm run secrets issues it, finds the real TLS master and routes /mesos/ to it", async () => {
    const unit = edgeFiles(topology).find((f) => f.path.endsWith('mesos-cluster-edge.service'))!.content;
    const option = (name: string) => new RegExp(`--${name} (\\S+)`).exec(unit)![1];
    const edgePlan = certificatePlans(topology).find((p) => p.secret === EDGE_TLS_SECRET)!;
    assert.equal(edgePlan.kind, 'client');
    const edgeRoot = join(dir, 'edge');
    mkdirSync(join(edgeRoot, 'etc', 'mesos-cluster', 'secrets'), { recursive: true });
    writeFileSync(join(edgeRoot, option('mesos-ca')), ca.certificatePem, { mode: 0o400 });
    writeFileSync(join(edgeRoot, option('mesos-cert')), bundlePem(await issue(ca, edgePlan)), { mode: 0o400 });
    assert.equal(option('mesos-cert'), EDGE_TLS_FILE);
    const layout = edgeNginxLayout(join(dir, 'edge-nginx'));
    const reader = spawnSync(
      pythonExecutable(),
      [
        EDGE_ROUTES_SCRIPT,
        '--once',
        ...['--masters', `${masterAddress}:${masterPort}`, '--admin-cidrs', '192.0.2.0/24', '--load-balancer-cidrs', '127.0.0.1/32', '--listen', `127.0.0.1:${await freePort('127.0.0.1')}`],
        ...['--mesos-ca', join(edgeRoot, option('mesos-ca')), '--mesos-cert', join(edgeRoot, option('mesos-cert')), '--mesos-tls-name', option('mesos-tls-name')],
        ...['--out', layout.out, '--nginx-conf', layout.conf],
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(reader.status, 0, reader.stderr);
    // (No nginx runs here: its reload's complaint is all stderr may hold.)
    assert.doesNotMatch(reader.stderr, /edge-routes:/, 'the master answered over TLS');
    const routes = readFileSync(layout.out, 'utf8');
    assert.match(routes, new RegExp(`upstream mesos_leader \\{\\n {4}server ${masterAddress}:${masterPort};`));
    assert.match(routes, /proxy_pass https:\/\/mesos_leader\/;/);
  });
});
