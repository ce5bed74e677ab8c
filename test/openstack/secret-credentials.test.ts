import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SECRET_READER_ACCESS_RULES } from '../../lib/openstack/secret-credentials';
import { exampleOpenstackCluster, OPENSTACK_COLOCATED, synthOpenstack } from '../support/openstack-synth';

const KEYS = ['secrets-auth-url', 'secrets-credential-id', 'secrets-credential-secret'];
const credentialRef = (identity: string, attribute: string) => `\${openstack_identity_application_credential_v3.secret-credentials_${identity}.${attribute}}`;

describe('OpenStack stack: a Barbican credential per node identity that reads secrets', () => {
  for (const [variant, patch, readers, servers] of [
    ['ci-openstack', {}, ['builds', 'jenkins-masters', 'marathon', 'master'], { master: 'master', marathon: 'marathon' }],
    ['ci-openstack-colocated', OPENSTACK_COLOCATED, ['builds', 'control', 'jenkins-masters'], { control: 'control' }],
  ] as const) {
    const json = synthOpenstack(exampleOpenstackCluster(patch));
    const credentials = json.resource.openstack_identity_application_credential_v3;
    const instances = json.resource.openstack_compute_instance_v2;

    it(`${variant}: one application credential per identity that reads secrets (none for ZooKeeper, the edge or the bastion), named after the cluster`, () => {
      assert.deepEqual(Object.keys(credentials).sort(), readers.map((r) => `secret-credentials_${r}`));
      for (const reader of readers) assert.equal(credentials[`secret-credentials_${reader}`].name, `${variant}-${reader}-secrets`);
    });

    it(`${variant}: each may only GET the secret list and secret payloads on key-manager, and is not unrestricted`, () => {
      for (const [name, credential] of Object.entries(credentials)) {
        assert.deepEqual(credential.access_rules, [
          { service: 'key-manager', method: 'GET', path: '/v1/secrets' },
          { service: 'key-manager', method: 'GET', path: '/v1/secrets/*/payload' },
        ], name);
        assert.deepEqual(credential.access_rules, SECRET_READER_ACCESS_RULES.map((r) => ({ ...r })));
        assert.equal(credential.unrestricted, false, name);
        assert.equal(credential.roles, undefined, `${name}: the deploying user's roles on the project`);
      }
    });

    it(`${variant}: its id and secret are in exactly its servers' metadata, with the Keystone URL; nowhere in user-data`, () => {
      for (const [address, instance] of Object.entries(instances)) {
        const server = address.match(/^servers_([a-z]+)-\d+_instance$/)?.[1];
        const pool = address.match(/^pool-(.+)_instance$/)?.[1];
        const identity = pool ?? (server === undefined ? undefined : (servers as Record<string, string>)[server]);
        const present = KEYS.filter((k) => k in instance.metadata);
        if (identity === undefined) {
          assert.deepEqual(present, [], `${address} reads no secret`);
        } else {
          assert.equal(instance.metadata['secrets-credential-id'], credentialRef(identity, 'id'), address);
          assert.equal(instance.metadata['secrets-credential-secret'], credentialRef(identity, 'secret'), address);
          assert.match(instance.metadata['secrets-auth-url'], /data\.openstack_identity_auth_scope_v3\.secret-credentials_keystone\.service_catalog/);
          assert.match(instance.metadata['secrets-auth-url'], /s\.type == "identity"/);
          assert.match(instance.metadata['secrets-auth-url'], /e\.interface == "public"/);
        }
        assert.doesNotMatch(instance.user_data, /openstack_identity_application_credential_v3|secret-credentials_/, `${address}: user-data`);
      }
      assert.ok(Object.keys(instances).some((a) => a.startsWith('servers_zookeeper-') || a.startsWith('servers_control-')));
    });
  }
});
