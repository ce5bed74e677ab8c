/**
 * verify under tls.mesos: the masters are asked over HTTPS presenting the operator's client
 * certificate, straight and through SSH (the key on standard input only), and not at all without
 * it. The masters here are HTTPS stand-ins that require a client certificate of the cluster CA,
 * as libprocess does with LIBPROCESS_SSL_REQUIRE_CLIENT_CERT; real-mesos-verify-tls.test.ts asks the real Mesos.
 */
import assert from 'node:assert/strict';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import { TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { buildTopology, PORTS } from '../../lib/model';
import { issue, KeyedCertificate, newClusterCa } from '../../lib/secrets/cluster-ca';
import { OperatorCredentials } from '../../lib/verify/credentials';
import { DirectTransport } from '../../lib/verify/direct-transport';
import { checkMasters, masterStates } from '../../lib/verify/mesos-check';
import { SshTransport } from '../../lib/verify/ssh-transport';
import { Transport } from '../../lib/verify/transport';
import { verifyCluster } from '../../lib/verify/verify-cluster';
import { exampleCluster } from '../support/aws-synth';
import { nodeShellFor } from '../support/node-shell';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

const CURL_MISSING = missingTool('curl', 'curl');
const topology = buildTopology(exampleCluster({ tls: { mesos: true } }));
const masters = topology.mesos.masters;

let ca: KeyedCertificate;
let operator: KeyedCertificate;
let foreignOperator: KeyedCertificate;
let masterCert: KeyedCertificate;
before(async () => {
  ca = await newClusterCa('verify-tls');
  const client = { secret: 'tls/operator', kind: 'client' as const, commonName: 'verify-tls operator' };
  operator = await issue(ca, client);
  foreignOperator = await issue(await newClusterCa('someone-else'), client);
  masterCert = await issue(ca, { secret: 'tls/master', kind: 'server', commonName: 'verify-tls master', ips: masters.map((m) => m.privateIp) });
});

/** HTTPS stand-ins for each master's /metrics/snapshot, requiring a client certificate of the cluster CA; not Mesos. */
async function standIns(): Promise<{ ports: Map<string, number>; seen: string[]; close: () => void }> {
  const seen: string[] = [];
  const started: Server[] = [];
  const ports = new Map<string, number>();
  for (const [i, master] of masters.entries()) {
    const server = createServer({ cert: masterCert.certificatePem, key: masterCert.keyPem, ca: ca.certificatePem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      seen.push(String((req.socket as TLSSocket).getPeerCertificate().subject.CN));
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ 'master/elected': i === 0 ? 1 : 0, 'registrar/log/recovered': 1 }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    started.push(server);
    ports.set(master.privateIp, (server.address() as AddressInfo).port);
  }
  return { ports, seen, close: () => started.forEach((s) => s.close()) };
}

const credentials = (client?: KeyedCertificate, clusterCa: string | undefined = ca.certificatePem): OperatorCredentials => ({
  mesos: { user: 'operator', password: 'operator-s3cret' },
  clusterCa,
  mesosClient: client,
  source: 'test',
});
const direct = (ports: Map<string, number>) =>
  new DirectTransport({ route: (host, port) => { assert.equal(port, PORTS.mesosMaster); return { host: '127.0.0.1', port: ports.get(host)! }; } });

describe("verify's Mesos checks under tls.mesos (the operator's client certificate)", () => {
  it('asks every master over HTTPS presenting tls/operator, and passes', async () => {
    const stand = await standIns();
    after(stand.close);
    const result = checkMasters(topology, await masterStates(topology, direct(stand.ports), credentials(operator)));
    assert.equal(result.status, 'ok', JSON.stringify(result.rows));
    assert.deepEqual(stand.seen, masters.map(() => 'verify-tls operator'));
  });

  it('a certificate another CA signed is refused in the handshake: the row says so, no request arrives', async () => {
    const stand = await standIns();
    after(stand.close);
    const result = checkMasters(topology, await masterStates(topology, direct(stand.ports), credentials(foreignOperator)));
    assert.equal(result.status, 'fail');
    assert.ok(result.rows.every((r) => /^no HTTPS answer: down, or it refused tls\/operator from test in the handshake/.test(r.state)), JSON.stringify(result.rows));
    assert.deepEqual(stand.seen, []);
  });

  it('without tls/operator (or tls/ca-cert) no master is asked and one line says how to get it', async () => {
    const nothing: Transport = { httpGet: async () => assert.fail('no request without the certificate'), fourLetterWord: async () => '', close: async () => {} };
    for (const [given, absent] of [[credentials(undefined), 'tls/operator'], [{ ...credentials(operator), clusterCa: undefined }, 'tls/ca-cert']] as const) {
      const result = checkMasters(topology, await masterStates(topology, nothing, given));
      assert.equal(result.status, 'fail');
      assert.equal(
        result.summary,
        `not asked: with tls.mesos the masters answer only HTTPS with a client certificate of the cluster CA; ${absent} not found (test); ` +
          '`npm run secrets -- <cluster file>` issues tls/operator, or name "tls/operator" and "tls/ca-cert" in --credentials-file',
      );
      assert.ok(result.rows.every((r) => r.state === 'not asked'));
    }
    // Marathon (plain HTTP here: tls.marathon is off) and ZooKeeper are asked; no master is.
    const noMaster: Transport = { ...nothing, httpGet: async (_host, port) => (port === PORTS.mesosMaster ? assert.fail('no master asked') : undefined) };
    const report = await verifyCluster(topology, noMaster, credentials(undefined));
    assert.equal(report.checks.find((c) => c.check === 'agents')?.summary, 'no single leading master to ask');
  });

  it('through SSH, the node\'s curl presents tls/operator read from standard input: on no command line, in no file (run here with bash and curl)', gateOn(CURL_MISSING), async () => {
    assertToolAvailable(CURL_MISSING);
    const stand = await standIns();
    after(stand.close);
    const ran: { command: string; stdin?: string }[] = [];
    const port = stand.ports.get(masters[0].privateIp)!;
    const ssh = new SshTransport({ bastion: '203.0.113.7', runSsh: nodeShellFor({ host: masters[0].privateIp, port }, { address: '127.0.0.1', port }, ran) });
    after(() => ssh.close());
    const https = { caPem: ca.certificatePem, client: operator };
    const answer = await ssh.httpGet(masters[0].privateIp, port, '/metrics/snapshot', credentials().mesos, https);
    assert.equal(answer?.status, 200);
    assert.deepEqual(stand.seen, ['verify-tls operator']);
    const [{ command, stdin }] = ran;
    assert.ok(!command.includes('PRIVATE KEY') && !command.includes('operator-s3cret'), 'neither the key nor the password is on the command line');
    assert.ok(stdin?.includes(operator.keyPem) && stdin.includes('operator-s3cret'), 'both travel on standard input');
    assert.doesNotMatch(command, /mktemp|>\s*[/$~]|tee /, 'the remote script writes no file');

    const refused = await ssh.httpGet(masters[0].privateIp, port, '/metrics/snapshot', credentials().mesos, { ...https, client: foreignOperator });
    assert.equal(refused, undefined, 'a certificate another CA signed gets no answer');
    assert.equal(stand.seen.length, 1);
  });
});
