/**
 * `npm run secrets` on OpenStack, against a stand-in Keystone and Barbican on loopback
 * (test/support/keystone-barbican-stand-in.ts; no OpenStack here): the same secrets under the
 * same names as on AWS, a second run that changes nothing, rotation, the operator's credentials
 * from OS_* variables or clouds.yaml, and one clear line when Keystone refuses.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { TOKEN_PATTERN } from '../../lib/secrets/generate';
import { REPO } from '../support/cloud-init-fixtures';
import { EXAMPLE_TOKEN_NAMES } from '../support/cluster-secret-names';
import { KeystoneBarbicanStandIn } from '../support/keystone-barbican-stand-in';
import { OPENSTACK_EXAMPLE_FILE } from '../support/openstack-synth';
import { entryBundle } from '../support/run-cli';

const run = promisify(execFile);
const PREFIX = '/mesos-cluster/ci-openstack';
const TOKENS = EXAMPLE_TOKEN_NAMES;

describe('npm run secrets: Barbican (stand-in Keystone and Barbican on loopback)', () => {
  const openstack = new KeystoneBarbicanStandIn();
  const home = mkdtempSync(join(tmpdir(), 'secrets-barbican-'));
  const clusterFile = join(home, 'ci-openstack.yaml');
  writeFileSync(clusterFile, readFileSync(OPENSTACK_EXAMPLE_FILE, 'utf8'));
  let passwordEnv: Record<string, string>;

  const secrets = (env: Record<string, string>, ...args: string[]) =>
    run(process.execPath, [entryBundle('lib/cli/secrets.ts'), clusterFile, ...args], {
      cwd: REPO,
      // HOME is scratch: no clouds.yaml of the machine's own is read.
      env: { PATH: process.env.PATH, HOME: home, ...env },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );

  const storedValues = () => new Map([...openstack.secrets.values()].map((s) => [s.name, s.payload]));

  before(async () => {
    await openstack.start();
    openstack.addUser('ops', 'ops-password');
    passwordEnv = {
      OS_AUTH_URL: openstack.authUrl,
      OS_USERNAME: 'ops',
      OS_PASSWORD: 'ops-password',
      OS_PROJECT_NAME: 'ci',
      OS_USER_DOMAIN_NAME: 'Default',
      OS_PROJECT_DOMAIN_NAME: 'Default',
    };
    openstack.store('/mesos-cluster/other/marathon/zk-password', 'OtherClustersValue0123456789');
  });

  after(() => openstack.stop());

  let first: Map<string, string>;

  it('creates every secret of the cluster under the same names as on AWS, and prints no value', async () => {
    const { code, stdout, stderr } = await secrets(passwordEnv);
    assert.equal(code, 0, stderr);
    first = storedValues();
    assert.deepEqual(
      [...first.keys()].filter((n) => n.startsWith(`${PREFIX}/`)).sort(),
      [...TOKENS, 'mesos-master/credentials'].map((n) => `${PREFIX}/${n}`).sort(),
    );
    for (const [name, value] of first) assert.ok(!stdout.includes(value) && !stderr.includes(value), `${name}: value printed`);
    for (const name of TOKENS) assert.match(first.get(`${PREFIX}/${name}`)!, TOKEN_PATTERN, name);
    const { credentials } = JSON.parse(first.get(`${PREFIX}/mesos-master/credentials`)!);
    assert.equal(credentials.find((c: { principal: string }) => c.principal === 'agent-builds').secret, first.get(`${PREFIX}/pools/builds/mesos-secret`));
    assert.match(stdout, /^created +\/mesos-cluster\/ci-openstack\/marathon\/zk-password$/m);
    assert.match(stdout, /\/mesos-cluster\/ci-openstack: 11 created, 0 rotated, 0 updated, 0 kept$/m);
  });

  it('changes nothing when run again: nothing is stored or deleted', async () => {
    const requests = openstack.barbicanRequests.length;
    const { code, stdout, stderr } = await secrets(passwordEnv);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /0 created, 0 rotated, 0 updated, 11 kept$/m);
    assert.deepEqual(storedValues(), first);
    assert.deepEqual(openstack.barbicanRequests.slice(requests).filter((r) => !r.startsWith('GET ')), []);
  });

  it('rotates only the secret it is told to and rewrites the document that holds it, leaving one secret per name', async () => {
    const { code, stdout, stderr } = await secrets(passwordEnv, '--rotate', 'marathon/mesos-secret');
    assert.equal(code, 0, stderr);
    const now = storedValues();
    const changed = [...now].filter(([name, value]) => first.get(name) !== value).map(([name]) => name);
    assert.deepEqual(changed.sort(), [`${PREFIX}/marathon/mesos-secret`, `${PREFIX}/mesos-master/credentials`]);
    assert.equal(openstack.secrets.size, first.size, 'the replaced secrets are deleted');
    assert.match(stdout, /0 created, 1 rotated, 1 updated, 9 kept$/m);
    assert.ok(!stdout.includes(now.get(`${PREFIX}/marathon/mesos-secret`)!));
    first = now;
  });

  it('keeps the oldest when a name was stored twice (two operators at once), as nodes read it', async () => {
    const name = `${PREFIX}/operator/mesos-secret`;
    openstack.store(name, 'SecondCopyOfTheSecret0123456789');
    const { code, stdout, stderr } = await secrets(passwordEnv);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /11 kept$/m);
    assert.equal(JSON.parse(storedValues().get(`${PREFIX}/mesos-master/credentials`)!).credentials[2].secret, first.get(name));
  });

  it('authenticates with an application credential from clouds.yaml (OS_CLOUD), never from the cluster file', async () => {
    // Created without access rules: it may do what its user may.
    openstack.addApplicationCredential('ops-ci', 'ops-ci-secret');
    mkdirSync(join(home, '.config', 'openstack'), { recursive: true });
    writeFileSync(
      join(home, '.config', 'openstack', 'clouds.yaml'),
      `clouds:\n  lab:\n    auth_type: v3applicationcredential\n    auth:\n      auth_url: ${openstack.authUrl}\n      application_credential_id: ops-ci\n    region_name: RegionOne\n`,
    );
    writeFileSync(join(home, '.config', 'openstack', 'secure.yaml'), 'clouds:\n  lab:\n    auth:\n      application_credential_secret: ops-ci-secret\n');
    const { code, stdout, stderr } = await secrets({ OS_CLOUD: 'lab' });
    assert.equal(code, 0, stderr);
    assert.match(stdout, /11 kept$/m);
  });

  it('refuses with one line naming Keystone and its answer when the credentials are wrong (exit 1), and writes nothing', async () => {
    const before = storedValues();
    const { code, stdout, stderr } = await secrets({ ...passwordEnv, OS_PASSWORD: 'wrong' });
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.equal(stderr, `${clusterFile}: Keystone at ${openstack.authUrl}: 401 Unauthorized: The request you have made requires authentication.\n`);
    assert.deepEqual(storedValues(), before);
  });

  it('refuses with one line when the environment holds no OpenStack credentials (exit 1)', async () => {
    const { code, stderr } = await secrets({});
    assert.equal(code, 1);
    assert.match(stderr, /^[^\n]*ci-openstack\.yaml: no OpenStack credentials: set OS_CLOUD \(clouds\.yaml\) or source your RC file/);
    assert.equal(stderr.trim().split('\n').length, 1);
  });

  it('refuses --kms-key-id, which only AWS SSM has (exit 2)', async () => {
    const { code, stderr } = await secrets(passwordEnv, '--kms-key-id', 'alias/x');
    assert.equal(code, 2);
    assert.match(stderr, /--kms-key-id is for AWS SSM/);
  });

  it("never touches another cluster's secrets", () => {
    assert.deepEqual(openstack.valuesOf('/mesos-cluster/other/marathon/zk-password'), ['OtherClustersValue0123456789']);
  });
});
