/**
 * The edge's route reader and /mesos/ route with the masters on HTTPS only (tls.mesos), on the real
 * nginx and the real generator (cloud-init/scripts/edge-routes.py): the masters are HTTPS stand-ins
 * on loopback that require a client certificate from the cluster CA, as libprocess SSL does
 * (real-mesos-tls.test.ts), answering with the recorded answers of test/fixtures/edge; every
 * certificate comes from the project's CA code, the edge's standing for `tls/edge`.
 */
import assert from 'node:assert/strict';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { edgeFiles, EDGE_TLS_FILE, edgeSecretFiles } from '../../lib/cloud-init/edge-files';
import { TLS_FILES } from '../../lib/cloud-init/libprocess-tls-files';
import { edgePlan } from '../../lib/cloud-init/node-plans';
import { pythonExecutable } from '../../lib/emulator/python-interpreter';
import { buildTopology, certificatePlans, CLUSTER_CA_CERT_SECRET, EDGE_TLS_SECRET, mesosTlsName, nodeIdentities } from '../../lib/model';
import { bundlePem, issue, KeyedCertificate, newClusterCa } from '../../lib/secrets/cluster-ca';
import { exampleCluster } from '../support/aws-synth';
import { REPO } from '../support/cloud-init-fixtures';
import { EDGE_ROUTES_SCRIPT as SCRIPT, edgeNginxLayout, getThroughEdge, untilEdgeAnswers } from '../support/edge-nginx';
import { freePort } from '../support/loopback-stubs';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

const noPython = missingTool('python3', 'python3');
const noNginx = missingTool('nginx', 'nginx-light');
const CLUSTER = 'edge-mesos-https';
const TLS_NAME = mesosTlsName(CLUSTER);
const ADMIN = '192.0.2.7';
const FIXTURES = join(REPO, 'test/fixtures');
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const run = promisify(execFile);

describe('the edge with tls.mesos: what it is handed', () => {
  const topology = buildTopology(exampleCluster({ tls: { mesos: true } }));
  const plain = buildTopology(exampleCluster());
  const unit = (t: typeof topology) => edgeFiles(t).find((f) => f.path.endsWith('mesos-cluster-edge.service'))!.content;

  it("passes the route reader the CA file, its own certificate and the masters' DNS name; without tls.mesos none", () => {
    assert.match(unit(topology), new RegExp(`--mesos-ca ${TLS_FILES.ca} --mesos-cert ${EDGE_TLS_FILE} --mesos-tls-name mesos\\.${topology.cluster.name}\\.internal `));
    assert.doesNotMatch(unit(plain), /--mesos-/);
  });

  it('fetches the CA certificate and tls/edge at boot into root-only files, and may read those two and no other secret', () => {
    assert.deepEqual(edgeSecretFiles(topology), [
      { path: TLS_FILES.ca, template: `{{${CLUSTER_CA_CERT_SECRET}}}`, mode: '0400', owner: 'root:root' },
      { path: EDGE_TLS_FILE, template: `{{${EDGE_TLS_SECRET}}}`, mode: '0400', owner: 'root:root' },
    ]);
    assert.deepEqual(nodeIdentities(topology).find((i) => i.name === 'edge')?.secrets, [CLUSTER_CA_CERT_SECRET, EDGE_TLS_SECRET]);
    assert.deepEqual(edgePlan(topology).preSteps.map(([step]) => step), ['check-image', 'fetch-secrets']);
    assert.deepEqual(edgeSecretFiles(plain), []);
  });

  it('npm run secrets plans tls/edge only for a cluster with an edge', () => {
    assert.ok(certificatePlans(topology).some((p) => p.secret === EDGE_TLS_SECRET));
    const noEdge = buildTopology(exampleCluster({ tls: { mesos: true }, edge: { count: 0 } }));
    assert.ok(!certificatePlans(noEdge).some((p) => p.secret === EDGE_TLS_SECRET));
  });
});

/** One HTTPS stand-in master: what it was asked, and by which client certificate. */
interface StandIn {
  readonly endpoint: string;
  readonly seen: { url: string; client?: string }[];
}

describe("the edge's route reader and /mesos/ over HTTPS on real nginx, against HTTPS stand-in masters that require a client certificate", { skip: gateOn(noNginx).skip ?? gateOn(noPython).skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'edge-mesos-https-'));
  const servers: Server[] = [];
  const masters: Record<string, StandIn> = {};
  let nginx: ChildProcess | undefined;
  let edgePort = 0;
  /** GET through the edge as the load balancer forwarding for an admin. */
  const throughEdge = (path: string) => getThroughEdge(edgePort, path, ADMIN);
  let layout: { conf: string; out: string };
  let caFile = '';
  let edgeFile = '';

  /** A master stand-in over HTTPS presenting `certificate`; it leads itself and requires a client certificate from `ca`. */
  async function masterStandIn(name: string, certificate: KeyedCertificate, ca: string): Promise<void> {
    const seen: StandIn['seen'] = [];
    const summary = fixture('edge/master-state-summary.json');
    const server = createServer({ cert: certificate.certificatePem, key: certificate.keyPem, ca, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      const client = (req.socket as TLSSocket).getPeerCertificate().subject?.CN;
      seen.push({ url: req.url ?? '', client: client === undefined ? undefined : String(client) });
      if (req.url === '/master/redirect') return void res.writeHead(307, { Location: `//${masters[name].endpoint}` }).end();
      res.setHeader('Content-Type', 'application/json');
      if (req.url === '/master/state-summary') return void res.end(JSON.stringify({ ...summary, frameworks: [] }));
      // The UI's reads, through /mesos/: who answered.
      res.end(JSON.stringify({ master: name, path: req.url }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    masters[name] = { endpoint: `127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
  }

  const tlsArgs = () => ['--mesos-ca', caFile, '--mesos-cert', edgeFile, '--mesos-tls-name', TLS_NAME];
  const common = () => ['--listen', `127.0.0.1:${edgePort}`, '--admin-cidrs', '192.0.2.0/24', '--load-balancer-cidrs', '127.0.0.1/32'];
  /** One run of the generator against `master`, writing and installing the routes. */
  const readRoutes = (master: string) => run(pythonExecutable(), [SCRIPT, '--once', '--masters', masters[master].endpoint, ...common(), ...tlsArgs(), '--out', layout.out, '--nginx-conf', layout.conf]);
  /** Routes for recorded answers with `master` as the leader, installed by hand (as --render prints them). */
  async function routeTo(master: string): Promise<void> {
    const summary = join(dir, 'summary.json');
    const frameworks = join(dir, 'frameworks.json');
    writeFileSync(summary, JSON.stringify({ ...fixture('edge/master-state-summary.json'), frameworks: [] }));
    writeFileSync(frameworks, JSON.stringify({ frameworks: [] }));
    const { stdout } = await run(pythonExecutable(), [SCRIPT, '--render', '--summary', summary, '--frameworks', frameworks, '--mesos-leader', masters[master].endpoint, ...common(), ...tlsArgs()]);
    writeFileSync(layout.out, stdout);
    await run('nginx', ['-c', layout.conf, '-e', join(dir, 'error.log'), '-s', 'reload']);
  }

  before(async () => {
    assertToolAvailable(noNginx);
    assertToolAvailable(noPython);
    const ca = await newClusterCa(CLUSTER);
    const otherCa = await newClusterCa('someone-else');
    const masterPlan = (dnsNames: string[]) => ({ secret: 'tls/master', kind: 'server' as const, commonName: `${CLUSTER} master`, ips: ['127.0.0.1'], dnsNames });
    await masterStandIn('right', await issue(ca, masterPlan([TLS_NAME])), ca.certificatePem);
    await masterStandIn('other-ca', await issue(otherCa, masterPlan([TLS_NAME])), ca.certificatePem);
    await masterStandIn('no-dns-name', await issue(ca, masterPlan([])), ca.certificatePem);
    // A master that trusts another CA: it refuses the edge's certificate.
    await masterStandIn('refuses-edge', await issue(ca, masterPlan([TLS_NAME])), otherCa.certificatePem);
    caFile = join(dir, 'tls-ca.pem');
    writeFileSync(caFile, ca.certificatePem);
    // Stands for tls/edge: a certificate of the cluster CA with its key, in one root-only file.
    edgeFile = join(dir, 'tls-edge.pem');
    writeFileSync(edgeFile, bundlePem(await issue(ca, { secret: 'tls/edge', kind: 'server', commonName: `${CLUSTER} edge`, ips: ['192.0.2.1'] })), { mode: 0o400 });

    edgePort = await freePort();
    layout = edgeNginxLayout(dir);
    await readRoutes('right');
    nginx = spawn('nginx', ['-c', layout.conf, '-e', join(dir, 'error.log')], { stdio: 'ignore' });
    await untilEdgeAnswers(async () => (await throughEdge('/edge-health')).status === 200);
  });

  after(async () => {
    nginx?.kill('SIGQUIT');
    if (nginx && nginx.exitCode === null) await new Promise((resolve) => nginx!.once('exit', resolve));
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    rmSync(dir, { recursive: true, force: true });
  });

  it('the route reader asks the master over HTTPS with the edge\'s certificate and routes /mesos/ to the leader it names', () => {
    assert.deepEqual(
      masters.right.seen.map((r) => r.url),
      ['/master/redirect', '/master/state-summary'],
    );
    assert.ok(masters.right.seen.every((r) => r.client === `${CLUSTER} edge`));
    const config = readFileSync(layout.out, 'utf8');
    assert.match(config, new RegExp(`upstream mesos_leader \\{\\n {4}server ${masters.right.endpoint};`));
    const location = config.slice(config.indexOf('location /mesos/ ')).split('}')[0];
    assert.match(location, /proxy_pass https:\/\/mesos_leader\/;/);
    for (const line of ['proxy_ssl_verify on;', `proxy_ssl_trusted_certificate ${caFile};`, `proxy_ssl_name ${TLS_NAME};`, `proxy_ssl_certificate ${edgeFile};`, `proxy_ssl_certificate_key ${edgeFile};`]) {
      assert.ok(location.includes(line), line);
    }
  });

  it("/mesos/ reaches the leader over HTTPS with the edge's certificate", async () => {
    await routeTo('right');
    const answer = await throughEdge('/mesos/master/state');
    assert.equal(answer.status, 200, answer.body);
    assert.deepEqual(JSON.parse(answer.body), { master: 'right', path: '/master/state' });
    assert.equal(masters.right.seen.at(-1)?.client, `${CLUSTER} edge`);
  });

  for (const [name, why, logged] of [
    ['other-ca', "another CA's certificate", 'upstream SSL certificate verify error'],
    ['no-dns-name', "the cluster CA's certificate without the masters' DNS name (its IP SAN alone)", `upstream SSL certificate does not match "${TLS_NAME}"`],
  ] as const) {
    it(`a master presenting ${why}: the route reader gets nothing from it, and /mesos/ to it is 502 with no request sent`, async () => {
      const before = readFileSync(layout.out, 'utf8');
      const reader = await readRoutes(name);
      assert.equal(readFileSync(layout.out, 'utf8'), before, 'the routes stay as they were');
      assert.match(reader.stderr, new RegExp(`edge-routes: master ${masters[name].endpoint}: .*CERTIFICATE_VERIFY_FAILED`));
      await routeTo(name);
      await untilEdgeAnswers(async () => (await throughEdge('/mesos/master/state')).status === 502);
      assert.deepEqual(masters[name].seen, [], 'no request reached it: the handshake failed first');
      const log = readFileSync(join(dir, 'error.log'), 'utf8');
      assert.ok(log.includes(logged) && log.includes(masters[name].endpoint), `nginx logs why: ${logged}`);
      await routeTo('right');
      await untilEdgeAnswers(async () => (await throughEdge('/mesos/master/state')).status === 200);
    });
  }

  it("a master that does not accept the edge's certificate: the route reader says so, and /mesos/ answers 502", async () => {
    const reader = await readRoutes('refuses-edge');
    assert.match(reader.stderr, new RegExp(`edge-routes: master ${masters['refuses-edge'].endpoint}: `));
    await routeTo('refuses-edge');
    await untilEdgeAnswers(async () => (await throughEdge('/mesos/master/state')).status === 502);
    assert.deepEqual(masters['refuses-edge'].seen, []);
    await routeTo('right');
  });

  it('the generator refuses the Mesos TLS options unless all three are there, as plain paths and a DNS name', async () => {
    const cases = [['--mesos-ca', '/x/ca.pem', '--mesos-cert', '/x/edge.pem'], ['--mesos-ca', '/x/ca.pem', '--mesos-cert', '/x y', '--mesos-tls-name', TLS_NAME], ['--mesos-tls-name', 'a;b', '--mesos-ca', '/x/ca.pem', '--mesos-cert', '/x/edge.pem']];
    for (const extra of cases) {
      const outcome = await run(pythonExecutable(), [SCRIPT, '--once', '--admin-cidrs', '192.0.2.0/24', '--load-balancer-cidrs', '127.0.0.1/32', ...extra]).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
      );
      assert.equal(outcome.code, 2, extra.join(' '));
      assert.match(outcome.stderr, /--mesos-ca and --mesos-cert need absolute paths and --mesos-tls-name a DNS name, all three together/);
    }
  });
});

