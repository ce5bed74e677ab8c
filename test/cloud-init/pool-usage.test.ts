import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { renderAllUserData, renderServerUserData } from '../../lib/cloud-init';
import { POOL_USAGE_METRIC } from '../../lib/cloud-init/pool-usage-files';
import { mesosClientTlsFacts } from '../../lib/cloud-init/libprocess-tls-files';
import { bundlePem, issue, KeyedCertificate, newClusterCa } from '../../lib/secrets/cluster-ca';
import { buildTopology } from '../../lib/model';
import { exampleCluster } from '../support/aws-synth';
import { closedPort, LoopbackServer } from '../support/loopback-http';
import { motoForFile, motoMissing, MotoServer } from '../support/moto-server';
import { elasticTopology, instanceMetadata, metricsIn, POOL_USAGE_SCRIPT, PublisherRoot, publisherRoot, usageValues } from '../support/pool-usage-publisher';
import { ReferenceShapedMesosMaster, StandInAgent } from '../support/reference-shaped-mesos';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';
import { readWriteFiles } from '../support/zookeeper-cloud-config';

describe('pool-usage: rendered on the masters of clusters with elastic pools only', () => {
  const topology = elasticTopology();
  const paths = (document: string) => readWriteFiles(document).map((f) => f.path);

  it('gives every master the script, its timer enabled and the pools to publish, and no other node any of it', () => {
    for (const doc of renderAllUserData(topology)) {
      const master = /^master-\d$/.test(doc.name);
      assert.equal(paths(doc.text).includes(POOL_USAGE_SCRIPT), master, doc.name);
      assert.equal(paths(doc.text).includes('/etc/systemd/system/mesos-pool-usage.timer'), master, doc.name);
      assert.equal(doc.text.includes('mesos-pool-usage.timer'), master, `${doc.name} neither enables nor masks a unit it does not have`);
    }
    const facts = readWriteFiles(renderServerUserData(topology, 'master-1')).find((f) => f.path === '/etc/mesos-cluster/facts.env')!.content.toString();
    assert.match(facts, /^CLUSTER_USAGE_POOLS=builds,spare$/m);
    assert.match(facts, /^CLUSTER_USAGE_NAMESPACE=mesos-cluster\/ci-aws$/m);
  });

  const noTools = missingTool('cloud-init', 'cloud-init') ?? missingTool('shellcheck', 'shellcheck');
  it("a master's document passes cloud-init schema, and its delivered pool-usage script shellcheck", gateOn(noTools), () => {
    assertToolAvailable(noTools);
    const dir = mkdtempSync(join(tmpdir(), 'pool-usage-doc-'));
    try {
      const document = renderServerUserData(topology, 'master-1');
      writeFileSync(join(dir, 'master-1.yaml'), document);
      const schema = spawnSync('cloud-init', ['schema', '--config-file', join(dir, 'master-1.yaml')], { encoding: 'utf8' });
      assert.match(schema.stdout, /Valid cloud-config/, schema.stdout + schema.stderr);
      writeFileSync(join(dir, 'pool-usage.sh'), readWriteFiles(document).find((f) => f.path === POOL_USAGE_SCRIPT)!.content);
      const lint = spawnSync('shellcheck', ['--severity=style', '--format=gcc', join(dir, 'pool-usage.sh')], { encoding: 'utf8' });
      assert.equal(lint.status, 0, lint.stdout + lint.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('renders nothing of it for the example, whose pools have fixed sizes', () => {
    for (const doc of renderAllUserData(buildTopology(exampleCluster()))) assert.doesNotMatch(doc.text, /pool-usage|CLUSTER_USAGE/, doc.name);
  });
});

const missing = missingTool('curl', 'curl') ?? missingTool('jq', 'jq') ?? missingTool('aws', 'awscli') ?? motoMissing();
/** One moto for the file; moto 5.2's GetMetricData mixes namespaces, so the second suite starts from a reset one. */
const fileMoto = motoForFile();

describe("pool-usage: the leading master publishes each elastic pool's CPU share to CloudWatch (stand-in master, moto)", gateOn(missing), () => {
  let moto: MotoServer;
  let imds: LoopbackServer;
  let leader: ReferenceShapedMesosMaster;
  let follower: ReferenceShapedMesosMaster;
  let leaderless: ReferenceShapedMesosMaster;
  const roots: PublisherRoot[] = [];
  const agents: StandInAgent[] = [
    { id: 'S1', hostname: '10.20.64.10', pool: 'builds', cpus: 8, usedCpus: 6 },
    { id: 'S2', hostname: '10.20.64.11', pool: 'builds', cpus: 8, usedCpus: 2 },
    // Draining: it takes no new task, so neither its CPUs nor their use count.
    { id: 'S3', hostname: '10.20.64.12', pool: 'builds', cpus: 8, usedCpus: 8, drain: { state: 'DRAINING', markGone: true } },
    // Another pool's agent, busy: not counted in builds.
    { id: 'S4', hostname: '10.20.0.40', pool: 'jenkins-masters', cpus: 8, usedCpus: 8 },
  ];

  before(async () => {
    assertToolAvailable(missing);
    [moto, imds, leader] = await Promise.all([fileMoto(), instanceMetadata(), ReferenceShapedMesosMaster.start({ elected: true, agents })]);
    follower = await ReferenceShapedMesosMaster.start({ elected: false, agents });
    follower.leader = leader.address;
    leaderless = await ReferenceShapedMesosMaster.start({ elected: false, agents });
  });
  after(async () => {
    await Promise.all([imds?.close(), leader?.close(), follower?.close(), leaderless?.close()]);
    for (const root of roots) root.dispose();
  });

  /** master-1 as if it ran `master`, publishing into `namespace`. */
  function on(master: ReferenceShapedMesosMaster, namespace: string): PublisherRoot {
    const root = publisherRoot(master.address, namespace, moto, imds);
    roots.push(root);
    return root;
  }

  it('publishes 50 for builds (8 of 16 CPUs of its active agents in use) and says why the empty pool gets nothing', async () => {
    const namespace = 'test/leader';
    const result = await on(leader, namespace).publish();
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /pool-usage: pool spare has no active agent with CPUs/);
    assert.deepEqual(await metricsIn(moto, namespace), [`${POOL_USAGE_METRIC.name} ${POOL_USAGE_METRIC.dimension}=builds`]);
    assert.deepEqual(await usageValues(moto, namespace, 'builds'), [50]);
  });

  it('publishes nothing on a master that does not lead, and says which master does', async () => {
    const namespace = 'test/follower';
    const result = await on(follower, namespace).publish();
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.stderr.includes(`pool-usage: ${leader.address} leads, not this master; publishing nothing`), result.stderr);
    assert.deepEqual(await metricsIn(moto, namespace), []);
  });

  it('publishes nothing while no master leads', async () => {
    const namespace = 'test/leaderless';
    const result = await on(leaderless, namespace).publish();
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /pool-usage: no leading master known \(\/master\/redirect answered 503\)/);
    assert.deepEqual(await metricsIn(moto, namespace), []);
  });

  it('fails, so that systemd logs it, when CloudWatch cannot be reached', async () => {
    const result = await on(leader, 'test/unreachable').publish(`http://${await closedPort()}`);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /Could not connect to the endpoint URL/);
  });
});

describe('pool-usage with tls.mesos: the leading master publishes over HTTPS with its own certificate (stand-in master behind TLS, moto)', gateOn(missing), () => {
  let moto: MotoServer;
  let imds: LoopbackServer;
  let master: ReferenceShapedMesosMaster;
  let front: Server;
  let ca: KeyedCertificate;
  const roots: PublisherRoot[] = [];
  /** The master's files with tls.mesos, as rendered. */
  const facts = mesosClientTlsFacts(buildTopology(exampleCluster({ tls: { mesos: true } })), 'master');

  before(async () => {
    assertToolAvailable(missing);
    ca = await newClusterCa('usage-tls');
    const own = await issue(ca, { secret: 'tls/master', kind: 'server', commonName: 'stand-in master', ips: ['127.0.0.1'] });
    [moto, imds, master] = await Promise.all([fileMoto({ clean: true }), instanceMetadata(), ReferenceShapedMesosMaster.start({ elected: true, agents: [{ id: 'S1', hostname: '10.20.64.10', pool: 'builds', cpus: 8, usedCpus: 2 }] })]);
    // A TLS-only master as libprocess serves it: a client certificate from the cluster CA required.
    // It forwards to the stand-in and names itself where the stand-in names its own address.
    front = createServer({ cert: own.certificatePem, key: own.keyPem, ca: ca.certificatePem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      const [host, port] = master.address.split(':');
      const upstream = httpRequest({ host, port, path: req.url, method: req.method }, (answer) => {
        const location = answer.headers.location?.replace(master.address, frontAddress());
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, ...(location ? { location } : {}) });
        answer.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  });
  after(async () => {
    await Promise.all([imds?.close(), master?.close(), new Promise((resolve) => front?.close(resolve))]);
    for (const root of roots) root.dispose();
  });
  const frontAddress = () => `127.0.0.1:${(front.address() as AddressInfo).port}`;

  /** master-1 with the rendered TLS facts and its certificate signed by `signer`. */
  async function tlsMaster(namespace: string, signer: KeyedCertificate): Promise<PublisherRoot> {
    const root = publisherRoot(frontAddress(), namespace, moto, imds);
    roots.push(root);
    writeFileSync(join(root.root, 'etc/mesos-cluster/facts.env'), Object.entries(facts).map(([k, v]) => `${k}=${v}\n`).join(''), { flag: 'a' });
    const bundle = await issue(signer, { secret: 'tls/master', kind: 'server', commonName: 'master-1', ips: ['127.0.0.1'] });
    // As fetch-secrets writes them: the value without its final newline; certificate and key in one file.
    const files: Record<string, string> = { [facts.CLUSTER_MESOS_TLS_CA]: ca.certificatePem, [facts.CLUSTER_MESOS_TLS_CERT]: bundlePem(bundle).trimEnd() };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root.root, path)), { recursive: true });
      writeFileSync(join(root.root, path), text, { mode: 0o400 });
    }
    return root;
  }

  it('publishes 25 for builds through the TLS-only master with the rendered facts; with another CA\'s certificate, nothing', async () => {
    assert.deepEqual(Object.keys(facts).sort(), ['CLUSTER_MESOS_TLS_CA', 'CLUSTER_MESOS_TLS_CERT', 'CLUSTER_MESOS_TLS_KEY']);
    const good = await (await tlsMaster('test/tls', ca)).publish();
    assert.equal(good.code, 0, good.stderr);
    assert.deepEqual(await usageValues(moto, 'test/tls', 'builds'), [25]);
    const refused = await (await tlsMaster('test/tls-refused', await newClusterCa('someone-else'))).publish();
    assert.deepEqual(await metricsIn(moto, 'test/tls-refused'), [], refused.stderr);
  });
});
