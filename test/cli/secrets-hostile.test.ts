import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildTopology, clusterSecrets, clusterSecretsPath } from '../../lib/model';
import { ensureClusterSecrets, rotatableNames } from '../../lib/secrets/ensure-secrets';
import { openstackFetch, OpenstackApiError } from '../../lib/secrets/keystone-session';
import { exampleCluster, EXAMPLE_FILE } from '../support/aws-synth';
import { OPENSTACK_EXAMPLE_FILE } from '../support/openstack-synth';
import { closedPort } from '../support/loopback-http';
import { runTsCli } from '../support/run-cli';
import { MemoryStore } from '../support/memory-secret-store';

const CLI = join(__dirname, '..', '..', 'lib', 'cli', 'secrets.ts');
const home = mkdtempSync(join(tmpdir(), 'secrets-hostile-'));

describe('npm run secrets when the store is unreachable or a previous run was cut short', () => {
  const servers: { close(): void }[] = [];
  after(() => servers.forEach((s) => s.close()));

  it('an unreachable SSM: exit 1, one line naming SSM, its region and the refusal, nothing on stdout', async () => {
    const endpoint = `http://${await closedPort()}`;
    const env = { PATH: process.env.PATH, HOME: home, AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_MAX_ATTEMPTS: '1', AWS_EC2_METADATA_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    const run = await runTsCli(CLI, [EXAMPLE_FILE], { env });
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, /ci-aws\.yaml: SSM in us-east-1: .*ECONNREFUSED/);
    assert.doesNotMatch(run.stderr, /\n\s+at |undefined|\[object Object\]/);
  });

  it('an unreachable Keystone: exit 1, one line naming Keystone and the refusal', async () => {
    const authUrl = `http://${await closedPort()}/v3`;
    const env = { PATH: process.env.PATH, HOME: home, OS_AUTH_URL: authUrl, OS_USERNAME: 'ops', OS_PASSWORD: 'x', OS_PROJECT_NAME: 'ci', OS_USER_DOMAIN_NAME: 'Default', OS_PROJECT_DOMAIN_NAME: 'Default' };
    const clusterFile = join(home, 'ci-openstack.yaml');
    writeFileSync(clusterFile, readFileSync(OPENSTACK_EXAMPLE_FILE, 'utf8'));
    const run = await runTsCli(CLI, [clusterFile], { env });
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stderr.trimEnd().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, /ci-openstack\.yaml: Keystone at .*: .*ECONNREFUSED/);
  });

  it('a Keystone or Barbican that accepts and never answers: one line saying so, not a hang', async () => {
    const silent = createServer(() => undefined);
    servers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}/v3/auth/tokens`;
    await assert.rejects(openstackFetch('Keystone at here', url, { method: 'POST' }, 300), (error: Error) => {
      assert.ok(error instanceof OpenstackApiError);
      assert.equal(error.message, 'Keystone at here: no answer within 0.3 s');
      return true;
    });
  });

  it('a run cut short after rotating a token and before its document: the next run converges, the document holds the new token', async () => {
    const topology = buildTopology(exampleCluster());
    const prefix = clusterSecretsPath(topology.cluster.name);
    const [document] = clusterSecrets(topology).filter((s) => s.kind === 'document');
    const store = new MemoryStore();
    await ensureClusterSecrets(store, topology);
    // A token the masters' credentials document holds (a principal's secret).
    const token = rotatableNames(topology).find((name) => store.values.get(`${prefix}/${document.name}`)!.includes(store.values.get(`${prefix}/${name}`)!))!;
    const before = store.values.get(`${prefix}/${token}`)!;

    store.failPutOf = `${prefix}/${document.name}`;
    await assert.rejects(ensureClusterSecrets(store, topology, new Set([token])), /the store went away/);
    const rotated = store.values.get(`${prefix}/${token}`)!;
    assert.notEqual(rotated, before, 'the token was rotated before the store went away');
    assert.ok(store.values.get(`${prefix}/${document.name}`)!.includes(before), 'the document still holds the old token: half-written');

    store.failPutOf = undefined;
    const outcomes = await ensureClusterSecrets(store, topology);
    assert.equal(store.values.get(`${prefix}/${token}`), rotated, 'the rotated token is kept, not rotated again');
    assert.ok(store.values.get(`${prefix}/${document.name}`)!.includes(rotated), 'the document now holds the new token');
    assert.ok(!store.values.get(`${prefix}/${document.name}`)!.includes(before));
    assert.deepEqual(outcomes.find((o) => o.path === `${prefix}/${document.name}`)?.action, 'updated');
    assert.ok(outcomes.filter((o) => o.path !== `${prefix}/${document.name}`).every((o) => o.action === 'kept'));
  });
});
