/**
 * The secrets a node writes at boot, and the ACL its ZooKeeper sets, from a rendered document
 * booted in the node sandbox (test/support/node-applier.ts); what the documents say before boot
 * is in auth.test.ts.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SECRETS } from '../../lib/cloud-init/layout';
import { MARATHON_SECRET_FILES } from '../../lib/cloud-init/marathon-files';
import { AGENT_SECRET_FILES, MASTER_SECRET_FILES } from '../../lib/cloud-init/mesos-auth';
import { FRAMEWORK_PROXY_LOGIN } from '../../lib/cloud-init/framework-proxy-files';
import { allFixtureDocuments, fileAt, fixtureTopologies, parseCloudConfig } from '../support/cloud-init-fixtures';
import { parseEnvironmentFile } from '../support/marathon-env';
import { NodeSandbox } from '../support/node-applier';

const documents = allFixtureDocuments();
const doc = (id: string) => parseCloudConfig(documents.find((d) => d.id === id)!.text);
/** The stub secret store answers `Stub` + the md5 of the parameter name (test/support/node-stubs.ts). */
const stubValue = (name: string) => `Stub${createHash('md5').update(`/mesos-cluster/ci-aws/${name}`).digest('hex').slice(0, 24)}`;

describe('secrets at boot: values only on the node', () => {
  it('a master writes its ZooKeeper URL with the owner credentials and the credentials document, root-only', async () => {
    const sandbox = new NodeSandbox();
    assert.equal((await sandbox.boot(doc('ci-aws/master-1'))).code, 0);
    assert.equal(sandbox.read(MASTER_SECRET_FILES.zkUrl), `zk://mesos:${stubValue('mesos-master/zk-password')}@10.20.224.10:2181,10.20.228.10:2181,10.20.232.10:2181/mesos`);
    assert.equal(sandbox.read(MASTER_SECRET_FILES.credentials), stubValue('mesos-master/credentials'), 'the stored document, as stored');
    for (const file of Object.values(MASTER_SECRET_FILES)) assert.equal(statSync(join(sandbox.root, file)).mode & 0o777, 0o400, file);
    const fetches = sandbox.calls().filter((c) => c.startsWith('aws '));
    assert.deepEqual(fetches.map((c) => c.split(' --name ')[1].split(' ')[0]).sort(), ['/mesos-cluster/ci-aws/mesos-master/credentials', '/mesos-cluster/ci-aws/mesos-master/zk-password']);
    assert.ok(fetches.every((c) => c.includes('--region us-east-1') && c.includes('--with-decryption')));
  });

  it("a Marathon server's secret file is Marathon's own, without a newline; its environment names the digest user of /marathon", async () => {
    const sandbox = new NodeSandbox();
    assert.equal((await sandbox.boot(doc('ci-aws/marathon-1'))).code, 0);
    assert.equal(sandbox.read(MARATHON_SECRET_FILES.mesosSecret), stubValue('marathon/mesos-secret'));
    assert.deepEqual(
      sandbox.calls().filter((c) => c.startsWith('chown marathon')).map((c) => c.replace(sandbox.root, '').replace(/\.\w+$/, '')),
      [`chown marathon:marathon ${MARATHON_SECRET_FILES.mesosSecret}`],
      'only the file Marathon reads itself is its own',
    );
    const env = Object.fromEntries(parseEnvironmentFile(sandbox.read(MARATHON_SECRET_FILES.environment)).vars);
    assert.match(env.MARATHON_ZK, new RegExp(`^zk://marathon:${stubValue('marathon/zk-password')}@[0-9.:,]+/marathon$`));
    assert.equal(env.MARATHON_HTTP_CREDENTIALS, `operator:${stubValue('marathon/http-password')}`);
    assert.equal(statSync(join(sandbox.root, MARATHON_SECRET_FILES.environment)).mode & 0o777, 0o600);
  });

  it("an agent writes its pool's credential for the masters and for its own endpoints", async () => {
    const sandbox = new NodeSandbox();
    assert.equal((await sandbox.boot(doc('ci-aws/builds'))).code, 0);
    const credential = { principal: 'agent-builds', secret: stubValue('pools/builds/mesos-secret') };
    assert.deepEqual(JSON.parse(sandbox.read(AGENT_SECRET_FILES.credential)), credential);
    assert.deepEqual(JSON.parse(sandbox.read(AGENT_SECRET_FILES.httpCredentials)), { credentials: [credential] });
  });

  it("an agent of the Jenkins masters pool also writes principal jenkins's login for its framework proxy, root-only; a builds agent does not", async () => {
    const sandbox = new NodeSandbox();
    assert.equal((await sandbox.boot(doc('ci-aws/jenkins-masters'))).code, 0);
    assert.equal(sandbox.read(FRAMEWORK_PROXY_LOGIN.path), `MESOS_FRAMEWORK_LOGIN=jenkins:${stubValue('frameworks/jenkins/mesos-secret')}`);
    assert.equal(statSync(join(sandbox.root, FRAMEWORK_PROXY_LOGIN.path)).mode & 0o777, 0o400);
    const fetched = sandbox.calls().filter((c) => c.startsWith('aws ')).map((c) => c.split(' --name ')[1].split(' ')[0]);
    assert.deepEqual([...new Set(fetched)].sort(), [
      '/mesos-cluster/ci-aws/frameworks/jenkins/mesos-secret',
      '/mesos-cluster/ci-aws/pools/jenkins-masters/executor-jwt-key',
      '/mesos-cluster/ci-aws/pools/jenkins-masters/mesos-secret',
    ]);
    const manifest = (id: string) => fileAt(doc(id), SECRETS.manifest)!.content;
    assert.match(manifest('ci-aws/jenkins-masters'), new RegExp(` ${FRAMEWORK_PROXY_LOGIN.path} 0400 root:root$`, 'm'));
    assert.doesNotMatch(manifest('ci-aws/builds'), /mesos-framework/);
  });

  it('stops the boot before any unit starts when a token is not one npm run secrets made', async () => {
    const sandbox = new NodeSandbox();
    sandbox.replaceStandIn('aws', '#!/bin/bash\necho \'p@ss"word with spaces\'\n');
    const { code, stderr } = await sandbox.boot(doc('ci-aws/builds'));
    assert.notEqual(code, 0);
    assert.match(stderr, /fetch-secrets: \/mesos-cluster\/ci-aws\/pools\/builds\/mesos-secret is not a token \(npm run secrets -- --rotate pools\/builds\/mesos-secret\)/);
    assert.deepEqual(sandbox.calls().filter((c) => /^systemctl (re)?start/.test(c)), []);
  });
});

describe("ZooKeeper's root znode", () => {
  it("is set, once the ensemble serves, to world read and full rights for each quorum server's own address (/32) only, from the server's own address", async () => {
    const sandbox = new NodeSandbox();
    assert.equal((await sandbox.boot(doc('ci-aws/zookeeper-1'))).code, 0);
    const calls = sandbox.calls();
    const { topology } = fixtureTopologies()[0];
    const acl = ['world:anyone:r', ...topology.servers.map((s) => `ip:${s.privateIp}/32:cdrwa`)].join(',');
    assert.equal(topology.servers.length, 9, 'three ZooKeeper servers, three masters, three Marathon servers');
    const protect = calls.indexOf(`zkCli.sh -server ${topology.servers[0].privateIp}:2181 setAcl / ${acl}`);
    assert.ok(protect > calls.indexOf('systemctl restart zookeeper'), calls.join('\n'));
  });
});
