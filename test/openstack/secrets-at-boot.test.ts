/**
 * OpenStack nodes fetch their secrets from Barbican at first boot (fetch-secrets openstack and
 * its Python reader, barbican-secret), against a stand-in Keystone and Barbican on loopback
 * (test/support/keystone-barbican-stand-in.ts; no OpenStack here). The secrets are stored by the
 * same code `npm run secrets` runs; each node's credential is its role's application credential,
 * limited to the stack's access rules, read from a fake config drive directory
 * (MESOS_CLUSTER_CONFIG_DRIVE), cloud-init's instance data or the metadata service.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { AGENT_SECRET_FILES, MASTER_SECRET_FILES } from '../../lib/cloud-init/mesos-auth';
import { BARBICAN_SECRET_HELPER } from '../../lib/cloud-init/secret-files';
import { pythonExecutable } from '../../lib/emulator/python-interpreter';
import { buildTopology } from '../../lib/model';
import { SECRET_READER_ACCESS_RULES } from '../../lib/openstack/secret-credentials';
import { BarbicanSecretStore } from '../../lib/secrets/barbican-store';
import { ensureClusterSecrets } from '../../lib/secrets/ensure-secrets';
import { openServiceSession } from '../../lib/secrets/keystone-session';
import { allFixtureDocuments, fileAt, parseCloudConfig, REPO } from '../support/cloud-init-fixtures';
import { KeystoneBarbicanStandIn } from '../support/keystone-barbican-stand-in';
import { NodeSandbox } from '../support/node-applier';
import { exampleOpenstackCluster } from '../support/openstack-synth';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

const PREFIX = '/mesos-cluster/ci-openstack';
const documents = allFixtureDocuments().filter((d) => d.id.startsWith('ci-openstack/'));
const doc = (id: string) => parseCloudConfig(documents.find((d) => d.id === `ci-openstack/${id}`)!.text);
const readsSecrets = (id: string) => fileAt(doc(id), BARBICAN_SECRET_HELPER) !== undefined;

describe('OpenStack nodes and secrets at boot (stand-in Keystone and Barbican on loopback)', () => {
  const openstack = new KeystoneBarbicanStandIn();
  const scratch = mkdtempSync(join(tmpdir(), 'os-secrets-boot-'));
  let stored: Map<string, string>;

  /** A config drive directory whose meta_data.json carries `meta`, as Nova writes it. */
  function configDrive(meta: Record<string, string>): string {
    const dir = mkdtempSync(join(scratch, 'config-2-'));
    mkdirSync(join(dir, 'openstack', 'latest'), { recursive: true });
    writeFileSync(join(dir, 'openstack', 'latest', 'meta_data.json'), JSON.stringify({ uuid: '1b2c', name: 'ci-openstack-node', meta: { cluster: 'ci-openstack', ...meta } }));
    return dir;
  }
  const credentialOf = (identity: string, secret = `${identity}-secret`) => ({
    'secrets-auth-url': openstack.authUrl,
    'secrets-credential-id': `${identity}-credential`,
    'secrets-credential-secret': secret,
  });
  /** A sandbox whose metadata comes from `drive` (or nowhere but the stand-in's metadata service). */
  const sandbox = (drive?: string) => {
    const node = new NodeSandbox({
      env: { MESOS_CLUSTER_SECRET_ATTEMPTS: '1', MESOS_CLUSTER_METADATA_URL: openstack.metadataUrl, ...(drive ? { MESOS_CLUSTER_CONFIG_DRIVE: drive } : {}) },
    });
    // The real python3 and reader, not the sandbox's stand-in for them.
    node.removeStandIn('python3');
    return node;
  };
  const starts = (node: NodeSandbox) => node.calls().filter((c) => /^systemctl (re)?start/.test(c));

  before(async () => {
    await openstack.start();
    openstack.addUser('ops', 'ops-password');
    for (const identity of ['master', 'marathon', 'builds', 'jenkins-masters']) {
      openstack.addApplicationCredential(`${identity}-credential`, `${identity}-secret`, SECRET_READER_ACCESS_RULES);
    }
    const session = await openServiceSession(
      { authUrl: openstack.authUrl, interface: 'public', request: { auth: { identity: { methods: ['password'], password: { user: { name: 'ops', password: 'ops-password' } } } } } },
      'key-manager',
      undefined,
    );
    await ensureClusterSecrets(new BarbicanSecretStore(session), buildTopology(exampleOpenstackCluster()));
    stored = new Map([...openstack.secrets.values()].map((s) => [s.name, s.payload]));
  });

  after(() => openstack.stop());

  it('the masters, Marathon servers and agent pools carry the Barbican reader, the edge, ZooKeeper servers and the bastion do not; a master fetches under the cluster prefix', () => {
    const ids = documents.map((d) => d.id.split('/')[1]);
    for (const id of ['zookeeper-1', 'zookeeper-2', 'zookeeper-3', 'bastion', 'edge']) assert.ok(ids.includes(id), `${id} rendered`);
    const readers = ids.filter(readsSecrets);
    assert.deepEqual(readers.sort(), ['builds', 'jenkins-masters', 'marathon-1', 'marathon-2', 'marathon-3', 'master-1', 'master-2', 'master-3']);
    assert.match(documents.find((d) => d.id === 'ci-openstack/master-1')!.text, /"\$\{lib\}\/fetch-secrets" openstack - \/mesos-cluster\/ci-openstack/);
  });

  it('a master writes its files from the config drive\'s credential, reading Barbican only as its access rules allow', async () => {
    const node = sandbox(configDrive(credentialOf('master')));
    const requests = openstack.barbicanRequests.length;
    const { code, stderr } = await node.boot(doc('master-1'));
    assert.equal(code, 0, stderr);
    assert.match(node.read(MASTER_SECRET_FILES.zkUrl), new RegExp(`^zk://mesos:${stored.get(`${PREFIX}/mesos-master/zk-password`)}@`));
    assert.equal(node.read(MASTER_SECRET_FILES.credentials), stored.get(`${PREFIX}/mesos-master/credentials`), 'the stored document, as stored');
    for (const file of Object.values(MASTER_SECRET_FILES)) assert.equal(statSync(join(node.root, file)).mode & 0o777, 0o400, file);
    const asked = openstack.barbicanRequests.slice(requests);
    assert.equal(asked.length, 4, 'a list and a payload per secret');
    for (const request of asked) assert.match(request, /^GET \/v1\/secrets(\/[0-9a-f-]+\/payload)?$/);
  });

  it("an agent writes its pool's credential, from cloud-init's instance data when there is no config drive", async () => {
    const node = sandbox();
    const instanceData = { v1: { cloud_name: 'openstack' }, ds: { meta_data: { meta: credentialOf('builds') } } };
    mkdirSync(join(node.root, 'run', 'cloud-init'), { recursive: true });
    writeFileSync(join(node.root, 'run', 'cloud-init', 'instance-data.json'), JSON.stringify(instanceData));
    const { code, stderr } = await node.boot(doc('builds'));
    assert.equal(code, 0, stderr);
    assert.deepEqual(JSON.parse(node.read(AGENT_SECRET_FILES.credential)), { principal: 'agent-builds', secret: stored.get(`${PREFIX}/pools/builds/mesos-secret`) });
  });

  it('falls back to the metadata service when neither the config drive nor the instance data has the credential', async () => {
    openstack.metadataServiceAnswer = { uuid: '1b2c', meta: credentialOf('marathon') };
    try {
      const node = sandbox(configDrive({}));
      const { code, stderr } = await node.boot(doc('marathon-1'));
      assert.equal(code, 0, stderr);
    } finally {
      openstack.metadataServiceAnswer = undefined;
    }
  });

  it('stops before any unit starts, with one line, when Keystone refuses the credential (401)', async () => {
    const node = sandbox(configDrive(credentialOf('master', 'not-the-secret')));
    const { code, stderr } = await node.boot(doc('master-1'));
    assert.notEqual(code, 0);
    assert.equal(stderr, `fetch-secrets: Keystone at ${openstack.authUrl}: 401 Unauthorized: The request you have made requires authentication.\n`);
    assert.deepEqual(starts(node), []);
  });

  it('stops with one line when the server has no credential in its metadata', async () => {
    const node = sandbox(configDrive({}));
    const { code, stderr } = await node.boot(doc('master-1'));
    assert.notEqual(code, 0);
    assert.match(stderr, /^fetch-secrets: no secrets credential in the server's metadata \(secrets-auth-url, secrets-credential-id, secrets-credential-secret\)/);
    assert.equal(stderr.split('\n').length, 2);
    assert.deepEqual(starts(node), []);
  });

  it('stops when a secret is missing, naming it and the command that makes it', async () => {
    const name = `${PREFIX}/pools/jenkins-masters/mesos-secret`;
    const [uuid] = [...openstack.secrets.values()].filter((s) => s.name === name).map((s) => s.uuid);
    const secret = openstack.secrets.get(uuid)!;
    openstack.secrets.delete(uuid);
    try {
      const node = sandbox(configDrive(credentialOf('jenkins-masters')));
      const { code, stderr } = await node.boot(doc('jenkins-masters'));
      assert.notEqual(code, 0);
      assert.equal(stderr, `fetch-secrets: cannot read ${name} (npm run secrets)\n`);
      assert.deepEqual(starts(node), []);
    } finally {
      openstack.secrets.set(uuid, secret);
    }
  });

  it('gives up after its attempts when Barbican keeps failing, with what Barbican answered last', async () => {
    openstack.failBarbicanWith = 503;
    try {
      const node = sandbox(configDrive(credentialOf('builds')));
      const { code, stderr } = await node.boot(doc('builds'));
      assert.notEqual(code, 0);
      assert.equal(
        stderr,
        `fetch-secrets: cannot read ${PREFIX}/pools/builds/mesos-secret (npm run secrets): Barbican at ${openstack.barbicanUrl}: 503 Service Unavailable: stand-in told to fail\n`,
      );
    } finally {
      openstack.failBarbicanWith = undefined;
    }
  });

  it('refuses a region without Barbican, naming it (the reader on its own)', async () => {
    const drive = configDrive(credentialOf('builds'));
    const args = [join(REPO, 'cloud-init/scripts/barbican-secret.py'), 'RegionTwo', `${PREFIX}/pools/builds/mesos-secret`, join(drive, 'openstack/latest/meta_data.json')];
    // Asynchronously: the stand-in answers from this process.
    const reader = await promisify(execFile)(pythonExecutable(), args).then(
      () => ({ status: 0, stdout: '', stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => ({ status: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
    assert.equal(reader.status, 4);
    assert.equal(reader.stdout, '');
    assert.equal(reader.stderr, `Keystone at ${openstack.authUrl}: the catalog has no public key-manager endpoint in region RegionTwo\n`);
  });

  it('stops when a token is not one npm run secrets made', async () => {
    const name = `${PREFIX}/pools/builds/mesos-secret`;
    const [uuid] = [...openstack.secrets.values()].filter((s) => s.name === name).map((s) => s.uuid);
    const secret = openstack.secrets.get(uuid)!;
    openstack.secrets.set(uuid, { ...secret, payload: 'p@ss"word with spaces' });
    try {
      const node = sandbox(configDrive(credentialOf('builds')));
      const { code, stderr } = await node.boot(doc('builds'));
      assert.notEqual(code, 0);
      assert.equal(stderr, `fetch-secrets: ${name} is not a token (npm run secrets -- --rotate pools/builds/mesos-secret)\n`);
    } finally {
      openstack.secrets.set(uuid, secret);
    }
  });

  const noPyflakes = missingTool('pyflakes3', 'pyflakes3');
  it('the Barbican reader is pyflakes-clean', gateOn(noPyflakes), () => {
    assertToolAvailable(noPyflakes);
    execFileSync('pyflakes3', [join(REPO, 'cloud-init/scripts/barbican-secret.py')]);
  });
});
