import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { buildTopology, PORTS } from '../../lib/model';
import { issue, KeyedCertificate, newClusterCa } from '../../lib/secrets/cluster-ca';
import { DirectTransport } from '../../lib/verify/direct-transport';
import { checkMarathon } from '../../lib/verify/marathon-check';
import { remoteHttpGet } from '../../lib/verify/ssh-transport';
import { exampleCluster } from '../support/aws-synth';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

const topology = buildTopology(exampleCluster({ tls: { mesos: true, marathon: true } }));
const servers = topology.marathon.servers;
const CURL_MISSING = missingTool('curl', 'curl');

/** Stand-ins for Marathon's /v2/leader over HTTPS, one per server, each with `certificate`; not Marathon. */
async function standIns(certificate: KeyedCertificate): Promise<{ ports: Map<string, number>; seen: (string | undefined)[]; close: () => void }> {
  const seen: (string | undefined)[] = [];
  const started: Server[] = [];
  const ports = new Map<string, number>();
  for (const server of servers) {
    const https = createServer({ cert: certificate.certificatePem, key: certificate.keyPem }, (req, res) => {
      seen.push(req.headers.authorization);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ leader: `${servers[0].privateIp}:${PORTS.marathonHttps}` }));
    });
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    started.push(https);
    ports.set(server.privateIp, (https.address() as AddressInfo).port);
  }
  return { ports, seen, close: () => started.forEach((s) => s.close()) };
}

let ca: KeyedCertificate;
let marathonCert: KeyedCertificate;
let foreignCert: KeyedCertificate;
before(async () => {
  ca = await newClusterCa('verify-test');
  const plan = { secret: 'tls/marathon', kind: 'server' as const, commonName: 'verify-test marathon', ips: servers.map((s) => s.privateIp) };
  marathonCert = await issue(ca, plan);
  foreignCert = await issue(await newClusterCa('someone-else'), plan);
});

describe("verify's Marathon check over HTTPS (tls.marathon)", () => {
  const credentials = (clusterCa?: string) => ({ marathon: { user: 'operator', password: 's3cret' }, clusterCa, source: 'test' });
  const transportTo = (ports: Map<string, number>) =>
    new DirectTransport({ timeoutMs: 5_000, route: (host, port) => { assert.equal(port, PORTS.marathonHttps); return { host: '127.0.0.1', port: ports.get(host)! }; } });

  it('finds the leader on the HTTPS port, the certificate checked against the cluster CA for each private address', async () => {
    const stand = await standIns(marathonCert);
    after(stand.close);
    const result = await checkMarathon(topology, transportTo(stand.ports), credentials(ca.certificatePem));
    assert.equal(result.status, 'ok', JSON.stringify(result.rows));
    assert.equal(result.summary, `leader ${servers[0].name}`);
    assert.equal(stand.seen.length, servers.length);
  });

  it('a server whose certificate another CA signed gets no request and fails', async () => {
    const stand = await standIns(foreignCert);
    after(stand.close);
    const result = await checkMarathon(topology, transportTo(stand.ports), credentials(ca.certificatePem));
    assert.equal(result.status, 'fail');
    assert.ok(result.rows.every((r) => r.status === 'fail' && r.state === 'no answer'), JSON.stringify(result.rows));
    assert.deepEqual(stand.seen, [], 'the password never reached it');
  });

  it('without the CA certificate, sends nothing and says what is missing', async () => {
    const result = await checkMarathon(topology, { httpGet: async () => assert.fail('no request'), fourLetterWord: async () => '', close: async () => {} }, credentials());
    assert.equal(result.status, 'fail');
    assert.match(result.rows[0].state, /HTTPS only and no cluster CA certificate \(tls\/ca-cert\) from test/);
  });

  it('through SSH, the remote curl speaks HTTPS with the CA from a process substitution (run here with bash and curl)', gateOn(CURL_MISSING), async () => {
    assertToolAvailable(CURL_MISSING);
    const stand = await standIns(marathonCert);
    after(stand.close);
    // The stand-in's certificate names the servers' private addresses: the URL names the first one, curl connects to loopback.
    const port = stand.ports.get(servers[0].privateIp)!;
    const command = remoteHttpGet(servers[0].privateIp, port, '/v2/leader', 5, false, 1024, { caPem: ca.certificatePem });
    // Asynchronously: the stand-in answers from this process's event loop.
    const script = command.replace(/^bash -c /, 'curl() { command curl --connect-to "$HOST:$PORT:127.0.0.1:$PORT" "$@"; }; eval ');
    const run = await promisify(execFile)('bash', ['-c', script], { env: { ...process.env, HOST: servers[0].privateIp, PORT: String(port) }, encoding: 'utf8' });
    assert.match(run.stdout, /"leader":.*\n200$/);
  });
});
