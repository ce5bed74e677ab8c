import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  buildTopology,
  certificatePlans,
  CLUSTER_CA_CERT_SECRET,
  CLUSTER_CA_SECRET,
  clusterSecrets,
  clusterSecretsPath,
  EDGE_TLS_SECRET,
  marathonTlsName,
  mesosTlsName,
  nodeIdentities,
  OPERATOR_TLS_SECRET,
  poolCaSecret,
  serverTlsSecret,
} from '../../lib/model';
import { bundlePem, issue, parseBundle } from '../../lib/secrets/cluster-ca';
import { ensureClusterSecrets, rotatableNames } from '../../lib/secrets/ensure-secrets';
import { exampleCluster } from '../support/aws-synth';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';
import { MemoryStore } from '../support/memory-secret-store';

const OPENSSL_MISSING = missingTool('openssl', 'openssl');

const ISSUE_AGENT_CERT = join(__dirname, '..', '..', 'cloud-init', 'scripts', 'issue-agent-cert.sh');
const dir = mkdtempSync(join(tmpdir(), 'cluster-certificates-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const topology = buildTopology(exampleCluster({ tls: { mesos: true } }));
const prefix = clusterSecretsPath(topology.cluster.name);
const at = (name: string) => `${prefix}/${name}`;

/** openssl verify of `certificate` against the CA, with `untrusted` as the intermediates; its exit status and output. */
function opensslVerify(ca: string, certificate: string, untrusted?: string): { ok: boolean; output: string } {
  const file = (name: string, content: string) => {
    const path = join(dir, `${name}-${Math.random().toString(36).slice(2)}.pem`);
    writeFileSync(path, content);
    return path;
  };
  const args = ['verify', '-CAfile', file('ca', ca), ...(untrusted ? ['-untrusted', file('untrusted', untrusted)] : []), file('leaf', certificate)];
  const run = spawnSync('openssl', args, { encoding: 'utf8' });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

describe('the cluster CA that npm run secrets makes (tls.mesos)', () => {
  it('is made only when the cluster file turns TLS on', () => {
    const plain = buildTopology(exampleCluster());
    assert.equal(clusterSecrets(plain).filter((s) => s.kind === 'certificate').length, 0);
    assert.deepEqual(
      clusterSecrets(topology).filter((s) => s.kind === 'certificate').map((s) => s.name),
      [CLUSTER_CA_SECRET, CLUSTER_CA_CERT_SECRET, serverTlsSecret('master'), serverTlsSecret('marathon'), EDGE_TLS_SECRET, poolCaSecret('jenkins-masters'), poolCaSecret('builds'), OPERATOR_TLS_SECRET],
    );
  });

  it('no node reads the CA key or the operator\'s certificate; each reads the CA certificate and only its own role\'s or pool\'s certificate', () => {
    const identities = nodeIdentities(topology);
    assert.ok(identities.every((i) => !i.secrets.includes(CLUSTER_CA_SECRET)));
    assert.ok(identities.every((i) => !i.secrets.includes(OPERATOR_TLS_SECRET)));
    const tlsOf = (name: string) => identities.find((i) => i.name === name)!.secrets.filter((s) => s.startsWith('tls/'));
    assert.deepEqual(tlsOf('master'), [CLUSTER_CA_CERT_SECRET, serverTlsSecret('master')]);
    assert.deepEqual(tlsOf('marathon'), [CLUSTER_CA_CERT_SECRET, serverTlsSecret('marathon')]);
    assert.deepEqual(tlsOf('zookeeper'), []);
    assert.deepEqual(tlsOf('builds'), [CLUSTER_CA_CERT_SECRET, poolCaSecret('builds')]);
    assert.deepEqual(tlsOf('jenkins-masters'), [CLUSTER_CA_CERT_SECRET, poolCaSecret('jenkins-masters')]);
    assert.deepEqual(tlsOf('edge'), [CLUSTER_CA_CERT_SECRET, EDGE_TLS_SECRET]);
  });

  it('issues server certificates naming exactly their role\'s addresses, and pool CAs bound to the pool\'s subnets; a second run keeps all', async () => {
    const store = new MemoryStore();
    const first = await ensureClusterSecrets(store, topology);
    assert.ok(first.filter((o) => o.path.includes('/tls/')).every((o) => o.action === 'created'));
    const ca = parseBundle(store.values.get(at(CLUSTER_CA_SECRET))!)!;
    assert.equal(store.values.get(at(CLUSTER_CA_CERT_SECRET)), ca.certificatePem, 'the CA certificate alone, no key');
    assert.doesNotMatch(store.values.get(at(CLUSTER_CA_CERT_SECRET))!, /PRIVATE KEY/);
    const master = parseBundle(store.values.get(at(serverTlsSecret('master')))!)!;
    assert.ok(opensslVerify(ca.certificatePem, master.certificatePem).ok);
    const masterNames = [...topology.mesos.masters.map((m) => `IP Address:${m.privateIp}`), `DNS:${mesosTlsName(topology.cluster.name)}`];
    assert.equal(new X509Certificate(master.certificatePem).subjectAltName, masterNames.join(', '));
    const builds = certificatePlans(topology).find((p) => p.secret === poolCaSecret('builds'))!;
    assert.ok(builds.kind === 'pool-ca');
    assert.deepEqual(builds.cidrs, topology.zones.map((z) => z.agentCidr));
    const text = execFileSync('openssl', ['x509', '-noout', '-text'], { input: store.values.get(at(poolCaSecret('builds'))), encoding: 'utf8' });
    assert.match(text, /Name Constraints: critical/);
    assert.match(text, /CA:TRUE, pathlen:0/);
    assert.match(text, /Excluded:\s+DNS:\n/, 'no DNS name at all');

    const again = await ensureClusterSecrets(store, topology);
    assert.ok(again.every((o) => o.action === 'kept'), JSON.stringify(again.filter((o) => o.action !== 'kept')));
  });

  it('a pool CA signs an agent certificate for an address in the pool\'s subnets (issue-agent-cert), and none outside them', gateOn(OPENSSL_MISSING), async () => {
    assertToolAvailable(OPENSSL_MISSING);
    const store = new MemoryStore();
    await ensureClusterSecrets(store, topology);
    const root = join(dir, 'agent');
    mkdirSync(join(root, 'etc', 'mesos-cluster'), { recursive: true });
    mkdirSync(join(root, 's'), { recursive: true });
    writeFileSync(join(root, 's', 'ca.pem'), store.values.get(at(CLUSTER_CA_CERT_SECRET))!);
    writeFileSync(join(root, 's', 'pool.pem'), store.values.get(at(poolCaSecret('builds')))!);
    const issueFor = (address: string, out: string) => {
      writeFileSync(join(root, 'etc', 'mesos-cluster', 'node.env'), `CLUSTER_NODE_NAME=builds-i-1\nCLUSTER_NODE_IP=${address}\n`);
      return spawnSync('bash', [ISSUE_AGENT_CERT, '/s/ca.pem', '/s/pool.pem', `/s/${out}.pem`, `/s/${out}.key`], { env: { ...process.env, MESOS_CLUSTER_ROOT: root }, encoding: 'utf8' });
    };
    const inside = topology.zones[1].agentCidr.replace(/\.0\/\d+$/, '.77');
    const ok = issueFor(inside, 'agent');
    assert.equal(ok.status, 0, ok.stderr);
    const chain = execFileSync('cat', [join(root, 's', 'agent.pem')], { encoding: 'utf8' });
    assert.ok(opensslVerify(store.values.get(at(CLUSTER_CA_CERT_SECRET))!, chain, chain).ok, 'the chain the agent presents verifies against the cluster CA alone');
    assert.equal(new X509Certificate(chain).subjectAltName, `IP Address:${inside}`);
    assert.doesNotMatch(chain, /PRIVATE KEY/, 'the pool CA\'s key stays out of the chain');

    const outside = topology.mesos.masters[0].privateIp;
    const refused = issueFor(outside, 'impostor');
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /^issue-agent-cert: the cluster CA refuses the certificate for .*permitted subtree violation\n$/);
  });

  it("a pool CA's key signs no DNS name: a certificate for an address in its subnets that claims the masters' name is refused", gateOn(OPENSSL_MISSING), async () => {
    assertToolAvailable(OPENSSL_MISSING);
    const store = new MemoryStore();
    await ensureClusterSecrets(store, topology);
    const pool = parseBundle(store.values.get(at(poolCaSecret('builds')))!)!;
    const inside = topology.zones[0].agentCidr.replace(/\.0\/\d+$/, '.78');
    const plan = (dnsNames: string[]) => ({ secret: 'forged', kind: 'server' as const, commonName: 'builds-i-2', ips: [inside], dnsNames });
    const ca = store.values.get(at(CLUSTER_CA_CERT_SECRET))!;
    const honest = await issue(pool, plan([]));
    assert.ok(opensslVerify(ca, honest.certificatePem, pool.certificatePem).ok, 'the same key signs for the address alone');
    const forged = await issue(pool, plan([mesosTlsName(topology.cluster.name)]));
    const refused = opensslVerify(ca, forged.certificatePem, pool.certificatePem);
    assert.equal(refused.ok, false);
    assert.match(refused.output, /excluded subtree violation/);
  });

  it('rotating the CA reissues every certificate under the new one; a run cut short after the CA converges on the next', async () => {
    const store = new MemoryStore();
    await ensureClusterSecrets(store, topology);
    const oldMaster = store.values.get(at(serverTlsSecret('master')))!;
    assert.ok(rotatableNames(topology).includes(CLUSTER_CA_SECRET));
    assert.ok(!rotatableNames(topology).includes(CLUSTER_CA_CERT_SECRET), 'the CA certificate follows the CA');

    store.failPutOf = at(serverTlsSecret('marathon'));
    await assert.rejects(ensureClusterSecrets(store, topology, new Set([CLUSTER_CA_SECRET])), /the store went away/);
    const ca = parseBundle(store.values.get(at(CLUSTER_CA_SECRET))!)!;
    assert.equal(store.values.get(at(CLUSTER_CA_CERT_SECRET)), ca.certificatePem);
    assert.notEqual(store.values.get(at(serverTlsSecret('master'))), oldMaster);
    assert.ok(!opensslVerify(ca.certificatePem, parseBundle(store.values.get(at(serverTlsSecret('marathon')))!)!.certificatePem).ok, 'half-written: marathon still has the old CA\'s');

    store.failPutOf = undefined;
    const outcomes = await ensureClusterSecrets(store, topology);
    const actionOf = (name: string) => outcomes.find((o) => o.path === at(name))?.action;
    assert.equal(actionOf(CLUSTER_CA_SECRET), 'kept', 'the new CA is kept, not rotated again');
    assert.equal(actionOf(serverTlsSecret('marathon')), 'updated');
    for (const plan of certificatePlans(topology)) {
      const bundle = parseBundle(store.values.get(at(plan.secret))!)!;
      assert.ok(opensslVerify(ca.certificatePem, bundle.certificatePem).ok, plan.secret);
    }
  });

  it('a change of what a certificate covers (more masters) reissues that one and keeps the rest', async () => {
    const store = new MemoryStore();
    await ensureClusterSecrets(store, topology);
    const grown = buildTopology(exampleCluster({ tls: { mesos: true }, masters: { count: 5 } }));
    const outcomes = await ensureClusterSecrets(store, grown);
    const changed = outcomes.filter((o) => o.action !== 'kept').map((o) => o.path);
    assert.deepEqual(changed, [at(serverTlsSecret('master'))]);
    assert.equal(new X509Certificate(parseBundle(store.values.get(at(serverTlsSecret('master')))!)!.certificatePem).subjectAltName!.split(', ').length, 5 + 1, 'five addresses and the masters\' name');
  });

  it('a CA value that is not a certificate with its key: one line naming it and the fix', async () => {
    const store = new MemoryStore();
    store.values.set(at(CLUSTER_CA_SECRET), 'garbage');
    await assert.rejects(ensureClusterSecrets(store, topology), { message: `${at(CLUSTER_CA_SECRET)} is not a certificate with its key (npm run secrets -- --rotate tls/ca)` });
  });

  it("with tls.marathon, Marathon's certificate also names marathon.<cluster>.internal (the edge checks that name); turning it on reissues that one only", async () => {
    const store = new MemoryStore();
    await ensureClusterSecrets(store, topology);
    const https = buildTopology(exampleCluster({ tls: { mesos: true, marathon: true } }));
    const outcomes = await ensureClusterSecrets(store, https);
    const reissued = outcomes.filter((o) => o.path.includes('/tls/') && o.action !== 'kept').map((o) => o.path);
    assert.deepEqual(reissued, [at(serverTlsSecret('marathon'))]);
    const sans = (name: string) => new X509Certificate(parseBundle(store.values.get(at(serverTlsSecret(name)))!)!.certificatePem).subjectAltName!.split(', ');
    const marathonIps = https.marathon.servers.map((s) => `IP Address:${s.privateIp}`);
    assert.deepEqual(sans('marathon').sort(), [...marathonIps, `DNS:${marathonTlsName(https.cluster.name)}`].sort());
    assert.deepEqual(sans('master').filter((name) => name.startsWith('DNS:')), [`DNS:${mesosTlsName(https.cluster.name)}`], 'the masters\' certificate names their own name only');
    const again = await ensureClusterSecrets(store, https);
    assert.ok(again.every((o) => o.action === 'kept'), 'the DNS name counts as covered on the next run');
  });
  it("issues the operator a client certificate from the cluster CA (clientAuth only, no name: libprocess checks none on a client); kept on the next run, reissued near its end", gateOn(OPENSSL_MISSING), async () => {
    assertToolAvailable(OPENSSL_MISSING);
    const store = new MemoryStore();
    const first = await ensureClusterSecrets(store, topology);
    assert.equal(first.find((o) => o.path === at(OPERATOR_TLS_SECRET))?.action, 'created');
    assert.ok(rotatableNames(topology).includes(OPERATOR_TLS_SECRET));
    const ca = parseBundle(store.values.get(at(CLUSTER_CA_SECRET))!)!;
    const operator = parseBundle(store.values.get(at(OPERATOR_TLS_SECRET))!)!;
    const purpose = (name: string) => {
      const file = join(dir, `operator-${name}-${Math.random().toString(36).slice(2)}.pem`);
      writeFileSync(file, operator.certificatePem);
      writeFileSync(`${file}.ca`, ca.certificatePem);
      return spawnSync('openssl', ['verify', '-purpose', name, '-CAfile', `${file}.ca`, file], { encoding: 'utf8' });
    };
    assert.equal(purpose('sslclient').status, 0, 'a TLS client certificate of the cluster CA');
    assert.notEqual(purpose('sslserver').status, 0, 'never a server certificate');
    const certificate = new X509Certificate(operator.certificatePem);
    assert.equal(certificate.subjectAltName, undefined);
    assert.equal(certificate.ca, false);
    assert.match(certificate.subject, /CN=ci-aws operator/);

    const again = await ensureClusterSecrets(store, topology);
    assert.equal(again.find((o) => o.path === at(OPERATOR_TLS_SECRET))?.action, 'kept');
    assert.equal(store.values.get(at(OPERATOR_TLS_SECRET)), bundlePem(operator));

    // Issued 700 days ago: 30 of its 730 days left, under the 90 that trigger a reissue.
    const plan = certificatePlans(topology).find((p) => p.secret === OPERATOR_TLS_SECRET)!;
    store.values.set(at(OPERATOR_TLS_SECRET), bundlePem(await issue(ca, plan, new Date(Date.now() - 700 * 24 * 3600 * 1000))));
    const renewed = await ensureClusterSecrets(store, topology);
    assert.equal(renewed.find((o) => o.path === at(OPERATOR_TLS_SECRET))?.action, 'updated');
    assert.ok(renewed.filter((o) => o.path !== at(OPERATOR_TLS_SECRET)).every((o) => o.action === 'kept'));
    assert.ok(new Date(new X509Certificate(parseBundle(store.values.get(at(OPERATOR_TLS_SECRET))!)!.certificatePem).validTo).getTime() > Date.now() + 700 * 24 * 3600 * 1000);
  });

  it('a server certificate stored under tls/operator is reissued as a client one', async () => {
    const store = new MemoryStore();
    await ensureClusterSecrets(store, topology);
    store.values.set(at(OPERATOR_TLS_SECRET), store.values.get(at(serverTlsSecret('master')))!);
    const outcomes = await ensureClusterSecrets(store, topology);
    assert.equal(outcomes.find((o) => o.path === at(OPERATOR_TLS_SECRET))?.action, 'updated');
    assert.deepEqual(new X509Certificate(parseBundle(store.values.get(at(OPERATOR_TLS_SECRET))!)!.certificatePem).keyUsage, ['1.3.6.1.5.5.7.3.2']);
  });
});
