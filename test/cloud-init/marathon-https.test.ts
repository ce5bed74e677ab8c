import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { renderAllUserData } from '../../lib/cloud-init';
import { MARATHON_DEFAULTS, SECRETS } from '../../lib/cloud-init/layout';
import { TLS_FILES } from '../../lib/cloud-init/libprocess-tls-files';
import { MARATHON_SECRET_FILES, marathonSecretFiles } from '../../lib/cloud-init/marathon-files';
import { serverPlan } from '../../lib/cloud-init/node-plans';
import { buildTopology, MARATHON_KEYSTORE_PASSWORD_SECRET, nodeIdentities, PORTS } from '../../lib/model';
import { bundlePem, issue, newClusterCa } from '../../lib/secrets/cluster-ca';
import { generateToken } from '../../lib/secrets/generate';
import { exampleCluster } from '../support/aws-synth';
import { marathonArgProblems, marathonArgs, parseEnvironmentFile } from '../support/marathon-env';
import { onlyProblem } from '../model/fixtures';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

const SCRIPTS = join(__dirname, '..', '..', 'cloud-init', 'scripts');
const OPENSSL_MISSING = missingTool('openssl', 'openssl');
const CURL_MISSING = missingTool('curl', 'curl') ?? missingTool('jq', 'jq');
const SHELLCHECK_MISSING = missingTool('shellcheck', 'shellcheck');
const topology = buildTopology(exampleCluster({ tls: { mesos: true, marathon: true } }));
const plain = buildTopology(exampleCluster({ tls: { mesos: true } }));
const marathonServer = topology.servers.find((s) => s.role === 'marathon')!;
const plan = serverPlan(topology, marathonServer);
const fileAt = (path: string) => plan.files.find((f) => f.path === path)?.content ?? '';
const root = mkdtempSync(join(tmpdir(), 'marathon-https-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('Marathon over HTTPS (tls.marathon)', () => {
  it('is refused without tls.mesos, in one line naming the key', () => {
    onlyProblem({ tls: { marathon: true } }, 'tls.marathon', 'tls.mesos: true');
  });

  it('renders nothing of it when the cluster file leaves it off', () => {
    for (const document of renderAllUserData(plain)) assert.doesNotMatch(document.text, /MARATHON_HTTPS_PORT|MARATHON_DISABLE_HTTP|keystore|await-marathon-https/, document.name);
  });

  it('Marathon listens on HTTPS only, with options Marathon 1.10 accepts; the keystore password is only in the root-only secrets file', () => {
    const env = parseEnvironmentFile(fileAt(MARATHON_DEFAULTS));
    const secretEnv = marathonSecretFiles(topology).find((f) => f.path === MARATHON_SECRET_FILES.environment)!;
    const secrets = parseEnvironmentFile(secretEnv.template);
    // As fetch-secrets writes it: each placeholder replaced by a token (letters and digits).
    const fetched = parseEnvironmentFile(secretEnv.template.replace(/\{\{[a-z0-9/_-]+\}\}/g, generateToken()));
    assert.deepEqual([...env.problems, ...fetched.problems], []);
    assert.deepEqual(marathonArgProblems(marathonArgs([...env.vars, ...fetched.vars])), []);
    const vars = new Map([...env.vars, ...secrets.vars]);
    assert.equal(vars.get('MARATHON_HTTPS_PORT'), String(PORTS.marathonHttps));
    assert.equal(vars.get('MARATHON_DISABLE_HTTP'), '');
    assert.equal(vars.get('MARATHON_SSL_KEYSTORE_PATH'), MARATHON_SECRET_FILES.keystore);
    assert.equal(vars.has('MARATHON_HTTP_PORT'), false);
    assert.equal(vars.get('MARATHON_SSL_KEYSTORE_PASSWORD'), `{{${MARATHON_KEYSTORE_PASSWORD_SECRET}}}`);
    assert.doesNotMatch(fileAt(MARATHON_DEFAULTS), /KEYSTORE_PASSWORD/);
    assert.equal(secretEnv.mode, '0600');
    assert.equal(secretEnv.owner, 'root:root');
  });

  it('only Marathon\'s role may read the keystore password', () => {
    const readers = nodeIdentities(topology).filter((i) => i.secrets.includes(MARATHON_KEYSTORE_PASSWORD_SECRET)).map((i) => i.name);
    assert.deepEqual(readers, ['marathon']);
  });

  it('colocated control servers make the keystore and wait for HTTPS too; ZooKeeper-only and master servers do not', () => {
    const colocated = buildTopology(exampleCluster({ name: 'ci-colocated', colocate: true, masters: undefined, marathon: undefined, tls: { mesos: true, marathon: true } }));
    const control = serverPlan(colocated, colocated.servers[0]);
    assert.ok(control.preSteps.some(([s]) => s === 'make-marathon-keystore'));
    assert.deepEqual(control.readySteps?.map(([s]) => s), ['await-marathon-https']);
    assert.deepEqual(control.probes, ['zookeeper', 'mesos-master']);
    for (const role of ['zookeeper', 'mesos-master']) {
      const other = serverPlan(topology, topology.servers.find((s) => s.role === role)!);
      assert.equal(other.readySteps, undefined, role);
      assert.ok(!other.preSteps.some(([s]) => s === 'make-marathon-keystore'), role);
    }
  });

  it('the readiness script passes shellcheck', gateOn(SHELLCHECK_MISSING), () => {
    assertToolAvailable(SHELLCHECK_MISSING);
    const run = spawnSync('shellcheck', [join(SCRIPTS, 'await-marathon-https.sh')], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stdout);
  });

  it('boot order: secrets, keystore, units, HTTPS readiness, then the readiness marker (which no longer probes plain HTTP)', () => {
    const order = [...plan.preSteps, ['activate-units'], ...(plan.readySteps ?? []), ['await-ready', ...plan.probes]].map(([s]) => s);
    const at = (s: string) => order.indexOf(s);
    assert.ok(at('fetch-secrets') >= 0 && at('fetch-secrets') < at('make-marathon-keystore'), order.join(' → '));
    assert.ok(at('make-marathon-keystore') < at('activate-units') && at('activate-units') < at('await-marathon-https') && at('await-marathon-https') < at('await-ready'), order.join(' → '));
    assert.equal(plan.probes.includes('marathon'), false);
  });

  it('the keystore step, run as rendered (openssl), makes a keystore that opens with the stored password', gateOn(OPENSSL_MISSING), async () => {
    assertToolAvailable(OPENSSL_MISSING);
    const step = plan.preSteps.find(([s]) => s === 'make-marathon-keystore')!;
    const ca = await newClusterCa('https-test');
    const issued = await issue(ca, { secret: 'tls/marathon', kind: 'server', commonName: 'https-test marathon', ips: [marathonServer.privateIp] });
    const password = generateToken();
    const node = join(root, 'keystore');
    mkdirSync(join(node, SECRETS.dir), { recursive: true });
    writeFileSync(join(node, TLS_FILES.server), bundlePem(issued).trimEnd(), { mode: 0o400 });
    writeFileSync(join(node, MARATHON_SECRET_FILES.keystorePassword), password, { mode: 0o400 });
    // The rendered owner is marathon:marathon, a user this machine need not have.
    const args = [...step.slice(1, -1), '0:0'];
    const run = spawnSync('bash', [join(SCRIPTS, 'make-marathon-keystore.sh'), ...args], { env: { ...process.env, MESOS_CLUSTER_ROOT: node }, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(step.at(-1), 'marathon:marathon');
    const opened = spawnSync('openssl', ['pkcs12', '-in', join(node, MARATHON_SECRET_FILES.keystore), '-passin', `pass:${password}`, '-nokeys', '-clcerts'], { encoding: 'utf8' });
    assert.equal(opened.status, 0, opened.stderr);
    assert.equal(new X509Certificate(opened.stdout.slice(opened.stdout.indexOf('-----BEGIN'))).fingerprint256, new X509Certificate(issued.certificatePem).fingerprint256);
  });

  it('the HTTPS readiness step succeeds against a loopback Marathon stand-in with a cluster CA certificate, and not with another CA\'s', gateOn(CURL_MISSING), async () => {
    assertToolAvailable(CURL_MISSING);
    const step = plan.readySteps!.find(([s]) => s === 'await-marathon-https')!;
    const ca = await newClusterCa('https-test');
    const other = await newClusterCa('someone-else');
    const node = join(root, 'ready');
    for (const path of [TLS_FILES.ca, MARATHON_SECRET_FILES.environment, '/etc/mesos-cluster/facts.env']) mkdirSync(dirname(join(node, path)), { recursive: true });
    writeFileSync(join(node, TLS_FILES.ca), ca.certificatePem);
    writeFileSync(join(node, MARATHON_SECRET_FILES.environment), 'MARATHON_HTTP_CREDENTIALS=operator:s3cret\n');
    writeFileSync(join(node, '/etc/mesos-cluster/facts.env'), `CLUSTER_NODE_IP=${marathonServer.privateIp}\n`);
    const probe = async (signer: typeof ca) => {
      const leaf = await issue(signer, { secret: 'tls/marathon', kind: 'server', commonName: 'stand-in marathon', ips: ['127.0.0.1'] });
      let authorization: string | undefined;
      // A stand-in for Marathon's /v2/leader, not Marathon.
      const server = createServer({ cert: leaf.certificatePem, key: leaf.keyPem }, (req, res) => {
        authorization = req.headers.authorization;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ leader: '10.0.0.1:8443' }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const args = [String((server.address() as AddressInfo).port), ...step.slice(2)];
      const env = { ...process.env, MESOS_CLUSTER_ROOT: node, MESOS_CLUSTER_PROBE_MARATHON_IP: '127.0.0.1', MESOS_CLUSTER_READY_TIMEOUT: '3', MESOS_CLUSTER_READY_INTERVAL: '1' };
      const child = spawn('bash', [join(SCRIPTS, 'await-marathon-https.sh'), ...args], { env });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
      server.close();
      return { status, stderr, authorization };
    };
    assert.equal(step[1], String(PORTS.marathonHttps));
    const good = await probe(ca);
    assert.equal(good.status, 0, good.stderr);
    assert.equal(good.authorization, `Basic ${Buffer.from('operator:s3cret').toString('base64')}`);
    const bad = await probe(other);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^await-marathon-https: Marathon does not answer over HTTPS at 127\.0\.0\.1:\d+ after 3s\n$/);
    assert.equal(bad.authorization, undefined, 'no credentials sent to a server the CA did not certify');
  });
});
