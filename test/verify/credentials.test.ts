/**
 * Where verify's operator credentials come from: the cluster's secrets in the store (the paths
 * `npm run secrets` writes) or a --credentials-file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildTopology } from '../../lib/model';
import { SecretStore } from '../../lib/secrets/secret-store';
import { bundlePem, issue, newClusterCa, parseBundle } from '../../lib/secrets/cluster-ca';
import { credentialsFromStore, CredentialsError, readCredentialsFile } from '../../lib/verify/credentials';
import { exampleCluster } from '../support/aws-synth';

const topology = buildTopology(exampleCluster());

/** A store holding `values` by path, recording what was asked. */
function storeOf(values: Record<string, string>): SecretStore & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    get: async (path) => {
      asked.push(path);
      return values[path];
    },
    put: async () => assert.fail('verify never writes secrets'),
  };
}

describe('verify: the operator credentials', () => {
  it("reads Marathon's password and the operator principal's secret from the cluster's store paths", async () => {
    const store = storeOf({ '/mesos-cluster/ci-aws/marathon/http-password': 'marathonPw', '/mesos-cluster/ci-aws/operator/mesos-secret': 'operatorPw' });
    const credentials = await credentialsFromStore(topology, store);
    assert.deepEqual(credentials, {
      marathon: { user: 'operator', password: 'marathonPw' },
      mesos: { user: 'operator', password: 'operatorPw' },
      source: '/mesos-cluster/ci-aws',
    });
    assert.deepEqual(store.asked.sort(), ['/mesos-cluster/ci-aws/marathon/http-password', '/mesos-cluster/ci-aws/operator/mesos-secret']);
  });

  it('leaves out what the store does not hold, so the check says none were given', async () => {
    const credentials = await credentialsFromStore(topology, storeOf({}));
    assert.deepEqual([credentials.marathon, credentials.mesos], [undefined, undefined]);
  });

  it('reads a credentials file of secret name to value', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'verify-creds-')), 'creds.json');
    writeFileSync(file, JSON.stringify({ 'marathon/http-password': 'm1', 'operator/mesos-secret': 'o1' }));
    assert.deepEqual(readCredentialsFile(topology, file), { marathon: { user: 'operator', password: 'm1' }, mesos: { user: 'operator', password: 'o1' }, source: file });
    writeFileSync(file, '["not", "an object"]');
    assert.throws(() => readCredentialsFile(topology, file), { message: `${file}: marathon/http-password: expected a non-empty string (a JSON object of secret name to value)` });
  });
  it('with tls.mesos also reads the CA certificate and the operator\'s client certificate (tls/operator), from the store or a file', async () => {
    const tls = buildTopology(exampleCluster({ tls: { mesos: true } }));
    const ca = await newClusterCa('ci-aws');
    const operator = await issue(ca, { secret: 'tls/operator', kind: 'client', commonName: 'ci-aws operator' });
    const store = storeOf({
      '/mesos-cluster/ci-aws/operator/mesos-secret': 'operatorPw',
      '/mesos-cluster/ci-aws/tls/ca-cert': ca.certificatePem,
      '/mesos-cluster/ci-aws/tls/operator': bundlePem(operator),
    });
    const fromStore = await credentialsFromStore(tls, store);
    assert.equal(fromStore.clusterCa, ca.certificatePem);
    assert.deepEqual(fromStore.mesosClient, parseBundle(bundlePem(operator)));
    assert.ok(store.asked.includes('/mesos-cluster/ci-aws/tls/operator'));

    const file = join(mkdtempSync(join(tmpdir(), 'verify-creds-')), 'creds.json');
    const values = { 'marathon/http-password': 'm1', 'operator/mesos-secret': 'o1', 'tls/ca-cert': ca.certificatePem, 'tls/operator': bundlePem(operator) };
    writeFileSync(file, JSON.stringify(values));
    assert.deepEqual(readCredentialsFile(tls, file).mesosClient, parseBundle(bundlePem(operator)));
    writeFileSync(file, JSON.stringify({ ...values, 'tls/operator': operator.certificatePem }));
    assert.throws(() => readCredentialsFile(tls, file), (error: Error) => {
      assert.ok(error instanceof CredentialsError);
      assert.equal(error.message, `${file}: tls/operator: expected a certificate and its private key (PEM, as \`npm run secrets\` stores it); \`npm run secrets -- <cluster file> --rotate tls/operator\` reissues it`);
      return true;
    });
    assert.equal((await credentialsFromStore(topology, storeOf({}))).mesosClient, undefined, 'without tls.mesos it is not asked for');
  });
});
