/**
 * The edge's /marathon/ route with tls.marathon, on the real nginx: Marathon is an HTTPS stand-in
 * on loopback (reference-shaped answers, test/fixtures/marathon) whose certificate comes from the
 * project's own CA code (lib/secrets/cluster-ca.ts), and the route is rendered by the real
 * generator from a stand-in master's answers naming it in `webui_url` as Marathon 1.10 does with a
 * keystore (reference/marathon-api/webui-url.json).
 */
import assert from 'node:assert/strict';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { edgeFiles, edgeSecretFiles } from '../../lib/cloud-init/edge-files';
import { TLS_FILES } from '../../lib/cloud-init/libprocess-tls-files';
import { edgePlan } from '../../lib/cloud-init/node-plans';
import { pythonExecutable } from '../../lib/emulator/python-interpreter';
import { buildTopology, CLUSTER_CA_CERT_SECRET, marathonTlsName, nodeIdentities, PORTS } from '../../lib/model';
import { issue, KeyedCertificate, newClusterCa } from '../../lib/secrets/cluster-ca';
import { exampleCluster } from '../support/aws-synth';
import { REPO } from '../support/cloud-init-fixtures';
import { EDGE_ROUTES_SCRIPT as SCRIPT, edgeNginxLayout, getThroughEdge, untilEdgeAnswers } from '../support/edge-nginx';
import { freePort, startStub } from '../support/loopback-stubs';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

const noPython = missingTool('python3', 'python3');
const noNginx = missingTool('nginx', 'nginx-light');
const CLUSTER = 'edge-https';
const TLS_NAME = marathonTlsName(CLUSTER);
const ADMIN = '192.0.2.7';
const CREDENTIALS = `Basic ${Buffer.from('operator:s3cret').toString('base64')}`;
const FIXTURES = join(REPO, 'test/fixtures');
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));

describe('the edge with tls.marathon: what it is handed', () => {
  const topology = buildTopology(exampleCluster({ tls: { mesos: true, marathon: true } }));
  const plain = buildTopology(exampleCluster());
  const unit = (t: typeof topology) => edgeFiles(t).find((f) => f.path.endsWith('mesos-cluster-edge.service'))!.content;

  it('names the Marathons at their HTTPS port, the cluster CA file and Marathon\'s DNS name; without tls.marathon, port 8080 and neither', () => {
    const servers = topology.marathon.servers.map((s) => `${s.privateIp}:${PORTS.marathonHttps}`).join(',');
    assert.match(unit(topology), new RegExp(`--marathons ${servers} `));
    assert.match(unit(topology), new RegExp(`--marathon-ca ${TLS_FILES.ca} --marathon-tls-name marathon\\.${topology.cluster.name}\\.internal `));
    assert.match(unit(plain), new RegExp(`--marathons ${plain.marathon.servers.map((s) => `${s.privateIp}:${PORTS.marathonHttp}`).join(',')} `));
    assert.doesNotMatch(unit(plain), /--marathon-ca|--marathon-tls-name/);
  });

  it('fetches the CA certificate at boot (root-only file), before its units start; without tls.marathon nothing', () => {
    assert.deepEqual(edgeSecretFiles(topology)[0], { path: TLS_FILES.ca, template: `{{${CLUSTER_CA_CERT_SECRET}}}`, mode: '0400', owner: 'root:root' });
    assert.ok(nodeIdentities(topology).find((i) => i.name === 'edge')?.secrets.includes(CLUSTER_CA_CERT_SECRET));
    assert.deepEqual(edgePlan(topology).preSteps.map(([step]) => step), ['check-image', 'fetch-secrets']);
    assert.deepEqual(edgeSecretFiles(plain), []);
    assert.deepEqual(nodeIdentities(plain).find((i) => i.name === 'edge')?.secrets, []);
    assert.deepEqual(edgePlan(plain).preSteps.map(([step]) => step), ['check-image']);
  });
});

describe('the edge\'s /marathon/ over HTTPS on real nginx, against HTTPS Marathon stand-ins on loopback', { skip: gateOn(noNginx).skip ?? gateOn(noPython).skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'edge-https-'));
  const servers: (Server | import('node:http').Server)[] = [];
  let nginx: ChildProcess | undefined;
  let edgePort = 0;
  /** GET through the edge as the load balancer forwarding for an admin. */
  const throughEdge = (path: string, authorization?: string) => getThroughEdge(edgePort, path, ADMIN, authorization);
  let generator: string[] = [];
  /** What the stand-in master says Marathon's framework registered as webui_url. */
  let webuiUrl = '';
  /** Authorization headers each Marathon stand-in received, by name. */
  const received: Record<string, string[]> = {};
  const marathons: Record<string, string> = {};

  /** A Marathon stand-in over HTTPS with `certificate`: /v2/leader (reference-shaped), / redirects to /ui/. */
  async function marathonStandIn(name: string, certificate: KeyedCertificate): Promise<void> {
    received[name] = [];
    const server = createServer({ cert: certificate.certificatePem, key: certificate.keyPem }, (req, res) => {
      received[name].push(req.headers.authorization ?? '');
      if (req.url === '/') return void res.writeHead(302, { Location: '/ui/' }).end();
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ ...fixture('marathon/leader.json'), leader: `${name}:8443` }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    marathons[name] = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  before(async () => {
    assertToolAvailable(noNginx);
    assertToolAvailable(noPython);
    const ca = await newClusterCa(CLUSTER);
    const otherCa = await newClusterCa('someone-else');
    const plan = (dnsNames: string[]) => ({ secret: 'tls/marathon', kind: 'server' as const, commonName: `${CLUSTER} marathon`, ips: ['127.0.0.1'], dnsNames });
    await marathonStandIn('right', await issue(ca, plan([TLS_NAME])));
    await marathonStandIn('other-ca', await issue(otherCa, plan([TLS_NAME])));
    await marathonStandIn('no-dns-name', await issue(ca, plan([])));
    await marathonStandIn('other-name', await issue(ca, plan(['marathon.another.internal'])));
    const caFile = join(dir, 'tls-ca.pem');
    writeFileSync(caFile, ca.certificatePem);

    const summary = fixture('edge/master-state-summary.json');
    const answer = fixture('edge/master-frameworks-marathon.json');
    const framework = answer.frameworks[0];
    framework.tasks = [];
    // Only Marathon's framework: the impostor is edge-routes.test.ts's concern.
    summary.frameworks = summary.frameworks.filter((f: { id: string }) => f.id === framework.id);
    webuiUrl = `https://${marathons.right}`;
    const leader = await startStub((req, res) => {
      framework.webui_url = webuiUrl;
      const body = req.url === '/master/state-summary' ? summary : req.url === `/master/frameworks?framework_id=${framework.id}` ? answer : undefined;
      if (body === undefined) return void res.writeHead(req.url === '/master/redirect' ? 307 : 404, { Location: `//127.0.0.1:${leaderPort}` }).end();
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(body));
    });
    const leaderPort = leader.port;
    servers.push(leader.server);

    edgePort = await freePort();
    const { conf, out } = edgeNginxLayout(dir);
    generator = [
      SCRIPT,
      '--once',
      ...['--masters', `127.0.0.1:${leader.port}`, '--marathons', Object.values(marathons).join(','), '--listen', `127.0.0.1:${edgePort}`],
      ...['--admin-cidrs', '192.0.2.0/24', '--load-balancer-cidrs', '127.0.0.1/32'],
      ...['--marathon-ca', caFile, '--marathon-tls-name', TLS_NAME],
      ...['--out', out, '--nginx-conf', conf],
    ];
    await promisify(execFile)(pythonExecutable(), generator);
    nginx = spawn('nginx', ['-c', conf, '-e', join(dir, 'error.log')], { stdio: 'ignore' });
    await untilEdgeAnswers(async () => (await throughEdge('/edge-health')).status === 200);
  });

  after(async () => {
    nginx?.kill('SIGQUIT');
    if (nginx && nginx.exitCode === null) await new Promise((resolve) => nginx!.once('exit', resolve));
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    if (!process.env.KEEP) rmSync(dir, { recursive: true, force: true });
  });

  it('renders /marathon/ as proxy_pass https with the certificate checked against the CA file for Marathon\'s DNS name', () => {
    const config = readFileSync(join(dir, 'conf.d/edge.conf'), 'utf8');
    const location = config.slice(config.indexOf('location /marathon/ ')).split('}')[0];
    assert.match(location, /proxy_pass https:\/\/marathon_leader\/;/);
    assert.match(location, /proxy_ssl_verify on;/);
    assert.match(location, new RegExp(`proxy_ssl_trusted_certificate ${join(dir, 'tls-ca.pem')};`));
    assert.match(location, new RegExp(`proxy_ssl_name ${TLS_NAME.replace(/\./g, '\\.')};`));
    assert.match(config, new RegExp(`upstream marathon_leader \\{\\n {4}server ${marathons.right};`));
  });

  it('a Marathon with a certificate from the cluster CA naming its DNS name is proxied, the admin\'s credentials with it, redirects kept under /marathon/', async () => {
    const answer = await throughEdge('/marathon/v2/leader', CREDENTIALS);
    assert.equal(answer.status, 200, answer.body);
    assert.equal(JSON.parse(answer.body).leader, 'right:8443');
    assert.ok(received.right.includes(CREDENTIALS));
    assert.equal((await throughEdge('/marathon/', CREDENTIALS)).location, '/marathon/ui/');
  });

  const mismatch = `upstream SSL certificate does not match "${TLS_NAME}"`;
  for (const [name, why, logged] of [
    ['other-ca', 'a certificate from another CA', 'upstream SSL certificate verify error'],
    ['no-dns-name', 'a cluster CA certificate without the DNS name (its IP SAN alone)', mismatch],
    ['other-name', 'a cluster CA certificate for another DNS name', mismatch],
  ] as const) {
    it(`a Marathon with ${why} gets 502, and never the admin's credentials`, async () => {
      webuiUrl = `https://${marathons[name]}`;
      await promisify(execFile)(pythonExecutable(), generator);
      await untilEdgeAnswers(async () => (await throughEdge('/marathon/v2/leader', CREDENTIALS)).status === 502);
      assert.deepEqual(received[name], [], 'nginx sent no request: the handshake failed first');
      const log = readFileSync(join(dir, 'error.log'), 'utf8');
      assert.ok(log.includes(`${logged}`) && log.includes(marathons[name]), `nginx logs why: ${logged}`);
      webuiUrl = `https://${marathons.right}`;
      await promisify(execFile)(pythonExecutable(), generator);
      await untilEdgeAnswers(async () => (await throughEdge('/marathon/v2/leader', CREDENTIALS)).status === 200);
    });
  }

  it('a webui_url over plain http is not taken as the leader: /marathon/ answers 503, never in clear', async () => {
    webuiUrl = `http://${marathons.right}`;
    await promisify(execFile)(pythonExecutable(), generator);
    await untilEdgeAnswers(async () => (await throughEdge('/marathon/v2/leader', CREDENTIALS)).status === 503);
    assert.doesNotMatch(readFileSync(join(dir, 'conf.d/edge.conf'), 'utf8'), /upstream marathon_leader \{\n\s+server/);
    webuiUrl = `https://${marathons.right}`;
    await promisify(execFile)(pythonExecutable(), generator);
    await untilEdgeAnswers(async () => (await throughEdge('/marathon/v2/leader', CREDENTIALS)).status === 200);
  });

  it('the generator refuses a TLS name that is not a DNS name, a CA path that is not a plain absolute path, or one option without the other', async () => {
    const cases = [['--marathon-ca', '/x/ca.pem', '--marathon-tls-name', 'a;b'], ['--marathon-ca', '/x/ca.pem'], ['--marathon-tls-name', TLS_NAME], ['--marathon-ca', '/x y', '--marathon-tls-name', TLS_NAME]];
    const runs = await Promise.all(
      cases.map((extra) =>
        promisify(execFile)(pythonExecutable(), [SCRIPT, '--once', '--admin-cidrs', '192.0.2.0/24', '--load-balancer-cidrs', '127.0.0.1/32', ...extra]).then(
          () => ({ code: 0, stderr: '' }),
          (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
        ),
      ),
    );
    for (const [i, run] of runs.entries()) {
      assert.equal(run.code, 2, cases[i].join(' '));
      assert.match(run.stderr, /--marathon-ca needs an absolute path and --marathon-tls-name a DNS name, both together/);
    }
  });
});

