/**
 * libprocess SSL on the real Mesos 1.11.0 (../shared/mesos, built with --enable-ssl): a master and
 * agents started with the LIBPROCESS_SSL_* environment this project renders into /etc/default/mesos
 * (tls.mesos on), on certificates made by the project's own code: the master's by npm run secrets'
 * issuer, each agent's by issue-agent-cert from its pool's CA. The master runs standalone
 * (its replicated log local, no ZooKeeper) and without the rendered authentication flags: this test is
 * about the wire, real-mesos-cluster.test.ts about the flags. Last, the masters' drain gate as its
 * rendered unit starts it with tls.mesos: HTTPS both ways, an agent drains itself through it.
 */
import assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { libraryFiles } from '../../lib/cloud-init/common-files';
import { DRAIN_GATE_SCRIPT } from '../../lib/cloud-init/drain-gate-files';
import { TLS_FILES } from '../../lib/cloud-init/libprocess-tls-files';
import { MASTER_SECRET_FILES } from '../../lib/cloud-init/mesos-auth';
import { mesosAgentFiles, mesosAgentFlags } from '../../lib/cloud-init/mesos-agent-files';
import { mesosMasterFiles } from '../../lib/cloud-init/mesos-master-files';
import { poolPlan, serverPlan } from '../../lib/cloud-init/node-plans';
import { agentPrincipal, buildTopology, OPERATOR_PRINCIPAL, OPERATOR_TLS_SECRET, PORTS } from '../../lib/model';
import { bundlePem, issue, KeyedCertificate, newClusterCa } from '../../lib/secrets/cluster-ca';
import { checkAgents } from '../../lib/verify/agents-check';
import { OperatorCredentials } from '../../lib/verify/credentials';
import { DirectTransport } from '../../lib/verify/direct-transport';
import { checkJenkins } from '../../lib/verify/jenkins-check';
import { checkMasters, masterStates } from '../../lib/verify/mesos-check';
import { SshTransport } from '../../lib/verify/ssh-transport';
import { Transport } from '../../lib/verify/transport';
import { agentRoot, AgentRoot } from '../support/agent-root';
import { exampleCluster } from '../support/aws-synth';
import { DrainGate, startRenderedDrainGate } from '../support/drain-gate-process';
import { MesosBuild, probeMesosBuild } from '../support/mesos-build';
import { nodeShellFor } from '../support/node-shell';
import { testMesosSecret } from '../support/reference-shaped-mesos';
import { assertToolAvailable, gateOn } from '../support/tool-gate';
import { poll, sleep } from '../support/zookeeper-ensemble';
import { killGroup } from '../support/zookeeper-runtime';
import { freePort } from '../support/loopback-stubs';

const probe = probeMesosBuild();
const missing = probe.ok ? undefined : probe.reason;
const ISSUE_AGENT_CERT = join(__dirname, '..', '..', 'cloud-init', 'scripts', 'issue-agent-cert.sh');
const AWAIT_READY = join(__dirname, '..', '..', 'cloud-init', 'scripts', 'await-ready.sh');
const MESOS_DEFAULTS = '/etc/default/mesos';
/** What verify checks here: one master, the builds pool's one agent (registered below), no Jenkins masters' agents. */
const VERIFY_TOPOLOGY = buildTopology(exampleCluster({ tls: { mesos: true }, masters: { count: 1 }, pools: { 'jenkins-masters': { count: 0 }, builds: { count: 1 } } }));
const DRAIN_GATE_UNIT = '/etc/systemd/system/mesos-drain-gate.service';

/** The variables of the rendered /etc/default/mesos of a master or a `builds` agent, with tls.mesos on. */
function renderedEnvironment(kind: 'master' | 'agent'): Map<string, string> {
  const topology = buildTopology(exampleCluster({ tls: { mesos: true } }));
  const builds = topology.pools.find((p) => p.name === 'builds')!;
  const files = kind === 'master' ? mesosMasterFiles(topology, topology.mesos.masters[0]) : mesosAgentFiles(topology, builds);
  const file = files.find((f) => f.path === MESOS_DEFAULTS);
  assert.ok(file, `${MESOS_DEFAULTS} is rendered`);
  const lines = file.content.split('\n').filter((l) => /^[A-Z_]+=/.test(l));
  return new Map(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

/** The build's environment without OpenSSL's own SSL_* variables, which libprocess would also read (its legacy prefix). */
function cleanEnvironment(build: MesosBuild): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(build.env).filter(([key]) => !key.startsWith('SSL_') && !key.startsWith('LIBPROCESS_')));
}


interface Node {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly root: string;
  readonly log: string;
  child?: ChildProcess;
}

describe('libprocess SSL as rendered, on the real Mesos 1.11.0', gateOn(missing), () => {
  const build = probe.ok ? probe.build : (undefined as unknown as MesosBuild);
  const dir = mkdtempSync(join(tmpdir(), 'real-mesos-tls-'));
  // Not 127.0.k.x, where the other real-Mesos and ZooKeeper tests pick their ranges.
  const net = `127.${100 + Math.floor(Math.random() * 150)}.${Math.floor(Math.random() * 250)}.`;
  const environments = { master: renderedEnvironment('master'), agent: renderedEnvironment('agent') };
  let ca: KeyedCertificate;
  let master: Node;
  const nodes: Node[] = [];

  const node = async (name: string, host: number): Promise<Node> => {
    const address = `${net}${host}`;
    const root = join(dir, name);
    mkdirSync(join(root, 'etc', 'mesos-cluster', 'secrets'), { recursive: true });
    const made = { name, address, port: await freePort(address), root, log: join(dir, `${name}.log`) };
    nodes.push(made);
    return made;
  };
  /** As fetch-secrets writes a document: the value without its final newline. */
  const writeSecret = (n: Node, path: string, value: string) => writeFileSync(join(n.root, path), value.trimEnd(), { mode: 0o400 });
  /** The rendered environment with the node's files under its root, as on the node. */
  const envOf = (n: Node, kind: 'master' | 'agent') => ({
    ...cleanEnvironment(build),
    ...Object.fromEntries([...environments[kind]].map(([k, v]) => [k, v.startsWith('/etc/') ? join(n.root, v) : v])),
  });
  /** The rendered --executor_environment_variables, its files under the node's root (and the build's LD_LIBRARY_PATH). */
  const executorEnvironmentOf = (n: Node) => {
    const topology = buildTopology(exampleCluster({ tls: { mesos: true } }));
    const rendered = JSON.parse(mesosAgentFlags(topology, topology.pools.find((p) => p.name === 'builds')!).executor_environment_variables as string);
    const mapped = Object.fromEntries(Object.entries(rendered).map(([k, v]) => [k, String(v).startsWith('/etc/') ? join(n.root, String(v)) : v]));
    // Here only: the build's libmesos is not in /usr/lib, so executors need the loader path the agent has.
    return JSON.stringify({ ...mapped, LD_LIBRARY_PATH: build.env.LD_LIBRARY_PATH });
  };
  const start = (n: Node, kind: 'master' | 'agent', args: string[]) => {
    const fd = openSync(n.log, 'a');
    const binary = kind === 'master' ? build.masterBinary : build.agentBinary;
    n.child = spawn('timeout', ['-s', 'KILL', '300s', binary, ...args], { env: envOf(n, kind), detached: true, stdio: ['ignore', fd, fd] });
    closeSync(fd);
  };
  const startAgent = (n: Node) =>
    start(n, 'agent', [
      `--master=${master.address}:${master.port}`,
      `--ip=${n.address}`,
      `--hostname=${n.address}`,
      `--port=${n.port}`,
      `--work_dir=${join(n.root, 'work')}`,
      `--launcher_dir=${build.launcherDir}`,
      '--launcher=posix',
      '--isolation=posix/cpu,posix/mem',
      '--containerizers=mesos',
      '--systemd_enable_support=false',
      '--resources=cpus:1;mem:256;disk:256;ports:[31000-31009]',
      // The drain gate drains an agent for its own pool's principal only.
      '--attributes=pool:builds',
      `--executor_environment_variables=${executorEnvironmentOf(n)}`,
    ]);
  /** An agent's certificate made by issue-agent-cert from the pool CA it was given. */
  const issueAgentCert = (n: Node, clusterCa: string, poolCa: KeyedCertificate) => {
    writeSecret(n, TLS_FILES.ca, clusterCa);
    writeSecret(n, TLS_FILES.poolCa, bundlePem(poolCa));
    writeFileSync(join(n.root, 'etc', 'mesos-cluster', 'node.env'), `CLUSTER_NODE_NAME=${n.name}\nCLUSTER_NODE_IP=${n.address}\n`);
    const run = spawnSync('bash', [ISSUE_AGENT_CERT, TLS_FILES.ca, TLS_FILES.poolCa, TLS_FILES.agentChain, TLS_FILES.agentKey], { env: { ...process.env, MESOS_CLUSTER_ROOT: n.root }, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  };
  /** GET over HTTPS with the master's own certificate as the client's (a client certificate is required). */
  const httpsGet = (path: string, clientCertificate: boolean) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const bundle = readFileSync(join(master.root, TLS_FILES.server), 'utf8');
      const req = httpsRequest(
        { host: master.address, port: master.port, path, ca: ca.certificatePem, ...(clientCertificate ? { cert: bundle, key: bundle } : {}), timeout: 5_000 },
        (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (d: string) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
      req.on('error', reject);
      req.end();
    });
  const agentsSeen = async (): Promise<{ hostname: string; active: boolean }[]> => JSON.parse((await httpsGet('/master/slaves', true)).body).slaves;
  const tail = (n: Node) => readFileSync(n.log, 'utf8').split('\n').slice(-15).join('\n');

  before(async () => {
    assertToolAvailable(missing);
    ca = await newClusterCa('tls-test');
    master = await node('master-1', 21);
    writeSecret(master, TLS_FILES.ca, ca.certificatePem);
    // Also the private address verify's topology gives its one master (verify checks the name it asks for).
    const ips = [master.address, VERIFY_TOPOLOGY.mesos.masters[0].privateIp];
    writeSecret(master, TLS_FILES.server, bundlePem(await issue(ca, { secret: 'tls/master', kind: 'server', commonName: 'tls-test master', ips })));
    start(master, 'master', [`--ip=${master.address}`, `--hostname=${master.address}`, `--port=${master.port}`, `--work_dir=${join(master.root, 'work')}`, '--registry=replicated_log']);
    await poll('the master to serve HTTPS', 60_000, 500, async () => {
      const answer = await httpsGet('/master/health', true).catch((e: Error) => ({ status: 0, body: e.message }));
      return { done: answer.status === 200, value: undefined, describe: `${answer.status} ${answer.body}\n${tail(master)}` };
    });
  });

  after(async () => {
    for (const n of nodes) if (n.child) killGroup(n.child, 'SIGKILL');
    await sleep(200);
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders TLS only: SSL on, no downgrade, peer certificates required and checked against the cluster CA by address', () => {
    const environment = environments.agent;
    assert.equal(environment.get('LIBPROCESS_SSL_CERT_FILE'), TLS_FILES.agentChain);
    assert.equal(environments.master.get('LIBPROCESS_SSL_CERT_FILE'), TLS_FILES.server);
    assert.equal(environment.get('LIBPROCESS_SSL_ENABLED'), 'true');
    assert.equal(environment.get('LIBPROCESS_SSL_SUPPORT_DOWNGRADE'), 'false');
    assert.equal(environment.get('LIBPROCESS_SSL_REQUIRE_CLIENT_CERT'), 'true');
    assert.equal(environment.get('LIBPROCESS_SSL_VERIFY_SERVER_CERT'), 'true');
    assert.equal(environment.get('LIBPROCESS_SSL_VERIFY_IPADD'), 'true');
    assert.equal(environment.get('LIBPROCESS_SSL_CA_FILE'), TLS_FILES.ca);
  });

  it('an agent with a certificate from its pool CA registers with the master over TLS', async () => {
    const agent = await node('builds-1', 31);
    issueAgentCert(agent, ca.certificatePem, await issue(ca, { secret: 'tls/pools/builds', kind: 'pool-ca', commonName: 'tls-test pool builds CA', cidrs: [`${net}0/24`] }));
    startAgent(agent);
    await poll('the agent to register', 90_000, 1_000, async () => {
      const seen = await agentsSeen().catch(() => []);
      return { done: seen.some((a) => a.hostname === agent.address && a.active), value: undefined, describe: `${JSON.stringify(seen)}\n${tail(agent)}` };
    });
  });

  describe("npm run verify's Mesos checks, over HTTPS with the operator's certificate (tls/operator)", () => {
    const topology = VERIFY_TOPOLOGY;
    const address = topology.mesos.masters[0].privateIp;
    /** To the real master, for the private address the topology gives it. */
    const direct = () => new DirectTransport({ timeoutMs: 10_000, route: (host) => (assert.equal(host, address), { host: master.address, port: master.port }) });
    const credentials = (client?: KeyedCertificate): OperatorCredentials => ({ clusterCa: ca.certificatePem, mesosClient: client, source: 'test' });
    const operatorPlan = { secret: OPERATOR_TLS_SECRET, kind: 'client' as const, commonName: 'tls-test operator' };
    /** The masters', agents' and Jenkins masters' checks, as verifyCluster runs them. */
    const mesosChecks = async (transport: Transport, given: OperatorCredentials) => {
      const states = await masterStates(topology, transport, given);
      return { masters: checkMasters(topology, states), agents: await checkAgents(topology, transport, states, given), jenkins: await checkJenkins(topology, transport, states, given) };
    };

    it('pass with a certificate npm run secrets issues: one leader, its log recovered, the builds agent serving; straight and through SSH', async () => {
      const operator = await issue(ca, operatorPlan);
      for (const transport of [direct(), new SshTransport({ bastion: '203.0.113.7', timeoutSeconds: 10, runSsh: nodeShellFor({ host: address, port: PORTS.mesosMaster }, master) })]) {
        const checks = await mesosChecks(transport, credentials(operator));
        await transport.close();
        assert.equal(checks.masters.status, 'ok', JSON.stringify(checks.masters));
        assert.equal(checks.masters.summary, 'leader master-1; 1 of 1 logs recovered (quorum 1)');
        assert.equal(checks.agents.status, 'ok', JSON.stringify(checks.agents));
        assert.deepEqual(checks.agents.rows.find((r) => r.subject === 'builds')?.state, '1/1 serving');
        assert.equal(checks.jenkins.status, 'skip', JSON.stringify(checks.jenkins));
      }
    });

    it('fail on one clear line with a certificate from another CA, or without one (then nothing is sent)', async () => {
      const foreign = await issue(await newClusterCa('impostor'), operatorPlan);
      const refused = await mesosChecks(direct(), credentials(foreign));
      assert.equal(refused.masters.status, 'fail');
      assert.match(refused.masters.rows[0].state, /^no HTTPS answer: down, or it refused tls\/operator from test in the handshake/);
      assert.equal(refused.agents.summary, 'no single leading master to ask');

      const silent: Transport = { httpGet: async () => assert.fail('nothing is sent without tls/operator'), fourLetterWord: async () => '', close: async () => {} };
      const none = await mesosChecks(silent, credentials());
      assert.equal(none.masters.status, 'fail');
      assert.match(none.masters.summary, /^not asked: with tls.mesos the masters answer only HTTPS with a client certificate of the cluster CA; tls\/operator not found \(test\); `npm run secrets -- <cluster file>` issues tls\/operator/);
    });
  });

  it('a command task runs on the TLS agent to TASK_FINISHED (its executor speaks TLS to the agent)', { timeout: 150_000 }, async () => {
    const scheduler = new TlsScheduler(`${master.address}`, master.port, ca.certificatePem, readFileSync(join(master.root, TLS_FILES.server), 'utf8'));
    try {
      await scheduler.subscribe();
      const offer = (await scheduler.next('OFFERS', 60_000)).offers.offers[0];
      const scalar = (name: string, value: number) => ({ name, type: 'SCALAR', scalar: { value }, allocation_info: { role: '*' } });
      const task = { name: 'command', task_id: { value: 'command-1' }, agent_id: offer.agent_id, resources: [scalar('cpus', 0.1), scalar('mem', 32), scalar('disk', 16)], command: { value: 'echo over-tls' } };
      assert.equal(await scheduler.call({ type: 'ACCEPT', accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [task] } }] } }), 202);
      const states = await poll('the task to end', 120_000, 500, async () => {
        const updates = scheduler.events.filter((e) => e.type === 'UPDATE').map((e) => e.update.status);
        return { done: updates.some((u) => /^TASK_(FINISHED|FAILED|KILLED|ERROR|LOST|DROPPED|GONE)/.test(u.state)), value: updates, describe: updates.map((u) => u.state).join(', ') || 'no update' };
      });
      const agent = nodes.find((n) => n.name === 'builds-1')!;
      const sandboxes = spawnSync('sh', ['-c', 'for f in $(find "$1" -name stderr); do echo "== $f"; tail -n 20 "$f"; done', 'sh', join(agent.root, 'work')], { encoding: 'utf8' }).stdout;
      assert.equal(states.at(-1).state, 'TASK_FINISHED', `${JSON.stringify(states.at(-1))}\n${sandboxes}\n${tail(agent)}`);
    } finally {
      scheduler.close();
    }
  });

  it("the readiness probes (await-ready) reach the TLS master and agent with the node's own certificate, as the rendered facts say; without those facts they fail", async () => {
    const topology = buildTopology(exampleCluster({ tls: { mesos: true } }));
    const tlsFacts = (facts: Record<string, string | number>) => Object.entries(facts).filter(([key]) => key.startsWith('CLUSTER_MESOS_TLS_'));
    const masterTls = tlsFacts(serverPlan(topology, topology.mesos.masters[0]).facts);
    const agentTls = tlsFacts(poolPlan(topology, topology.pools.find((p) => p.name === 'builds')!).facts);
    assert.equal(masterTls.length, 3);
    assert.equal(agentTls.length, 3);
    const agent = nodes.find((n) => n.name === 'builds-1')!;
    const awaitReady = (n: Node, service: string, facts: [string, string | number][], timeout = 20) => {
      const lines = [`CLUSTER_NODE_ROLE=${service}`, `CLUSTER_NODE_IP=${n.address}`, `CLUSTER_MESOS_MASTER_PORT=${master.port}`, `CLUSTER_MESOS_AGENT_PORT=${n.port}`, 'CLUSTER_ZK_CLIENT_PORT=2181'];
      writeFileSync(join(n.root, 'etc', 'mesos-cluster', 'facts.env'), [...lines, ...facts.map(([k, v]) => `${k}=${v}`)].join('\n') + '\n');
      // The shell libraries await-ready sources, as the node gets them.
      for (const file of libraryFiles(['await-ready'])) {
        mkdirSync(dirname(join(n.root, file.path)), { recursive: true });
        writeFileSync(join(n.root, file.path), file.content);
      }
      rmSync(join(n.root, 'var'), { recursive: true, force: true });
      const env = { ...process.env, MESOS_CLUSTER_ROOT: n.root, MESOS_CLUSTER_READY_TIMEOUT: String(timeout), MESOS_CLUSTER_READY_INTERVAL: '1' };
      return spawnSync('bash', [AWAIT_READY, service], { env, encoding: 'utf8', timeout: 60_000 });
    };
    const masterReady = awaitReady(master, 'mesos-master', masterTls);
    const snapshot = () => spawnSync('curl', ['-sS', '--max-time', '5', ...masterTls.flatMap(([k, v]) => [{ CLUSTER_MESOS_TLS_CA: '--cacert', CLUSTER_MESOS_TLS_CERT: '--cert', CLUSTER_MESOS_TLS_KEY: '--key' }[k]!, join(master.root, String(v))]), `https://${master.address}:${master.port}/metrics/snapshot`], { encoding: 'utf8' });
    assert.equal(masterReady.status, 0, `${masterReady.stderr}\n${JSON.stringify(snapshot()).slice(0, 600)}`);
    const agentReady = awaitReady(agent, 'mesos-agent', agentTls);
    assert.equal(agentReady.status, 0, `${agentReady.stderr}\n${tail(agent)}`);
    const plain = awaitReady(agent, 'mesos-agent', [], 3);
    assert.equal(plain.status, 1, 'plain HTTP gets no answer from a TLS-only agent');
    assert.match(plain.stderr, /mesos-agent is not ready after 3s/);
  });

  it('a plain-HTTP request to the master gets no HTTP answer (no downgrade)', async () => {
    const outcome = await plainHttp(master.address, master.port, '/master/health');
    assert.doesNotMatch(outcome, /^HTTP /, `a plain request was answered: ${outcome}`);
    assert.match(outcome, /^(ECONNRESET|HPE_INVALID_CONSTANT|timeout)$/, outcome);
  });

  it('an HTTPS client without a certificate from the cluster CA is refused', async () => {
    await assert.rejects(httpsGet('/master/health', false));
  });

  it('an agent whose certificate comes from another CA never registers; the good agent stays the only one', async () => {
    const other = await newClusterCa('impostor');
    const rogue = await node('rogue-1', 32);
    // issue-agent-cert checks against the CA it is given: the impostor's own, so it signs.
    issueAgentCert(rogue, other.certificatePem, await issue(other, { secret: 'tls/pools/builds', kind: 'pool-ca', commonName: 'impostor pool CA', cidrs: [`${net}0/24`] }));
    // The rogue trusts the cluster CA (it knows the master's), so only its own certificate is wrong.
    writeSecret(rogue, TLS_FILES.ca, ca.certificatePem);
    startAgent(rogue);
    // The master closes the handshake; the agent retries. Wait for three refusals, then look.
    const refusal = `Failed to link to '${master.address}:${master.port}', connect: Failed connect: connection closed`;
    await poll('the master to refuse the rogue agent three times', 60_000, 1_000, async () => {
      const refusals = readFileSync(rogue.log, 'utf8').split(refusal).length - 1;
      return { done: refusals >= 3, value: undefined, describe: `${refusals} refusals\n${tail(rogue)}` };
    });
    const seen = await agentsSeen();
    assert.deepEqual(seen.map((a) => a.hostname), [`${net}31`], `registered: ${JSON.stringify(seen)}\nrogue:\n${tail(rogue)}`);
  });

  describe("the drain gate over HTTPS, started as the master's rendered unit starts it", () => {
    const topology = buildTopology(exampleCluster({ tls: { mesos: true } }));
    const renderedMaster = topology.mesos.masters[0];
    /** CLUSTER_MESOS_TLS_* as the builds pool renders them into facts.env. */
    const tlsFacts = Object.fromEntries(Object.entries(poolPlan(topology, topology.pools.find((p) => p.name === 'builds')!).facts).filter(([k]) => k.startsWith('CLUSTER_MESOS_TLS_')));
    let gate: DrainGate | undefined;
    const roots: AgentRoot[] = [];

    before(async () => {
      const files = serverPlan(topology, renderedMaster).files.filter((f) => f.path === DRAIN_GATE_UNIT || f.path === DRAIN_GATE_SCRIPT);
      assert.equal(files.length, 2, 'the master renders the gate unit and script');
      for (const file of files) {
        mkdirSync(dirname(join(master.root, file.path)), { recursive: true });
        writeFileSync(join(master.root, file.path), file.content);
      }
      // The masters' credentials file as fetch-secrets writes it (this master checks none; the gate does).
      const principals = [OPERATOR_PRINCIPAL, agentPrincipal('builds')];
      writeSecret(master, MASTER_SECRET_FILES.credentials, JSON.stringify({ credentials: principals.map((principal) => ({ principal, secret: testMesosSecret(principal) })) }));
      const loopbackOf = (ip: string) => (ip === renderedMaster.privateIp ? master.address : ip);
      gate = await startRenderedDrainGate({ root: master.root, dir, address: master.address }, loopbackOf, await freePort(master.address), master.port);
    });
    after(async () => {
      await gate?.close();
      for (const root of roots) root.dispose();
    });

    /** The builds pool's files with an agent node's own certificate, as issue-agent-cert left it. */
    const agentNode = (n: Node) => {
      const root = agentRoot('builds', n.address, { CLUSTER_DRAIN_GATES: gate!.address, CLUSTER_DRAIN_WAIT_SECONDS: 60, ...tlsFacts });
      roots.push(root);
      for (const path of Object.values(tlsFacts)) writeFileSync(root.path(String(path)), readFileSync(join(n.root, String(path))), { mode: 0o400 });
      return root;
    };
    /** GET /agent at the gate over HTTPS from `n`'s address, as the builds principal, presenting `n`'s certificate. */
    const gateGet = (n: Node) =>
      new Promise<number>((resolve, reject) => {
        const [host, port] = gate!.address.split(':');
        const basic = Buffer.from(`${agentPrincipal('builds')}:${testMesosSecret(agentPrincipal('builds'))}`).toString('base64');
        const client = { ca: ca.certificatePem, cert: readFileSync(join(n.root, TLS_FILES.agentChain)), key: readFileSync(join(n.root, TLS_FILES.agentKey)) };
        const req = httpsRequest({ host, port: Number(port), path: '/agent', localAddress: n.address, ...client, timeout: 10_000, headers: { Authorization: `Basic ${basic}` } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
        req.on('error', reject);
        req.end();
      });

    it("the rendered unit gives the gate the cluster CA and the master's certificate", () => {
      const unit = readFileSync(join(master.root, DRAIN_GATE_UNIT), 'utf8');
      assert.match(unit, new RegExp(`^ExecStart=.* ${TLS_FILES.ca} ${TLS_FILES.server}$`, 'm'));
    });

    it('drain-agent drains its agent through the TLS gate (which calls the TLS master with its certificate) to DRAINED, then reactivates it', async () => {
      const agent = nodes.find((n) => n.name === 'builds-1')!;
      assert.deepEqual(Object.keys(tlsFacts).sort(), ['CLUSTER_MESOS_TLS_CA', 'CLUSTER_MESOS_TLS_CERT', 'CLUSTER_MESOS_TLS_KEY']);
      const root = agentNode(agent);
      const env = { MESOS_CLUSTER_DRAIN_SOURCE: agent.address };
      const drained = await root.run('drain-agent', ['drain'], env);
      assert.equal(drained.code, 0, `${drained.stderr}\n${readFileSync(gate!.log, 'utf8')}`);
      assert.match(drained.stderr, /agent \S+ is DRAINED/);
      assert.equal((await agentsSeen()).find((a) => a.hostname === agent.address)?.active, false, 'the master deactivated the drained agent');
      const reactivated = await root.run('drain-agent', ['reactivate'], env);
      assert.equal(reactivated.code, 0, reactivated.stderr);
      assert.equal((await agentsSeen()).find((a) => a.hostname === agent.address)?.active, true, 'offers resume');
    });

    it('plain HTTP to the gate gets no HTTP answer', async () => {
      const [host, port] = gate!.address.split(':');
      const outcome = await plainHttp(host, Number(port), '/agent');
      assert.doesNotMatch(outcome, /^HTTP /, `a plain request was answered: ${outcome}`);
    });

    it("the gate refuses a client certificate from another CA and answers the agent's own", async () => {
      await assert.rejects(gateGet(nodes.find((n) => n.name === 'rogue-1')!));
      assert.equal(await gateGet(nodes.find((n) => n.name === 'builds-1')!), 200);
    });
  });
});

/** A plain-HTTP GET: `HTTP <status>` when answered, else the error's code. */
function plainHttp(host: string, port: number, path: string): Promise<string> {
  return new Promise<string>((resolve) => {
    const req = httpRequest({ host, port, path, timeout: 10_000 }, (res) => resolve(`HTTP ${res.statusCode}`));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    req.end();
  });
}

/** A v1 scheduler over HTTPS with a client certificate (the master requires one); no authentication (the test's master has none). */
class TlsScheduler {
  readonly events: any[] = [];
  private frameworkId: any;
  private streamId = '';
  private req?: ReturnType<typeof httpsRequest>;
  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly ca: string,
    private readonly bundle: string,
  ) {}

  private options(method: string, headers: Record<string, string>) {
    return { host: this.host, port: this.port, method, path: '/api/v1/scheduler', ca: this.ca, cert: this.bundle, key: this.bundle, headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers } };
  }

  async subscribe(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.req = httpsRequest(this.options('POST', {}), (response) => {
        if (response.statusCode !== 200) return reject(new Error(`SUBSCRIBE: HTTP ${response.statusCode}`));
        this.streamId = String(response.headers['mesos-stream-id']);
        let buffer = Buffer.alloc(0);
        response.on('data', (chunk: Buffer) => {
          buffer = Buffer.concat([buffer, chunk]);
          for (let newline = buffer.indexOf(10); newline >= 0; newline = buffer.indexOf(10)) {
            const length = Number(buffer.subarray(0, newline).toString());
            if (buffer.length < newline + 1 + length) break;
            this.receive(JSON.parse(buffer.subarray(newline + 1, newline + 1 + length).toString('utf8')));
            buffer = buffer.subarray(newline + 1 + length);
          }
        });
        resolve();
      });
      this.req.on('error', reject);
      this.req.end(JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: userInfo().username, name: 'tls-scheduler', roles: ['*'], capabilities: [{ type: 'MULTI_ROLE' }] } } }));
    });
    this.frameworkId = (await this.next('SUBSCRIBED', 15_000)).subscribed.framework_id;
  }

  private receive(event: any): void {
    this.events.push(event);
    const status = event.type === 'UPDATE' ? event.update.status : undefined;
    if (status?.uuid !== undefined) void this.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid } }).catch(() => undefined);
  }

  call(body: Record<string, unknown>): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(this.options('POST', { 'Mesos-Stream-Id': this.streamId }), (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      });
      req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')));
      req.on('error', reject);
      req.end(JSON.stringify({ framework_id: this.frameworkId, ...body }));
    });
  }

  next(type: string, timeoutMs: number): Promise<any> {
    return poll(`a ${type} event`, timeoutMs, 200, async () => {
      const found = this.events.find((e) => e.type === type);
      return { done: found !== undefined, value: found, describe: `events so far: ${this.events.map((e) => e.type).join(', ')}` };
    });
  }

  close(): void {
    this.req?.destroy();
  }
}
