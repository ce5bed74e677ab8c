import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { keystoneCredentials } from '../../lib/secrets/keystone-credentials';
import { catalogEndpoint, tokensUrl } from '../../lib/secrets/keystone-session';

const RC = { OS_AUTH_URL: 'https://keystone.example:5000/v3', OS_USERNAME: 'ops', OS_PASSWORD: 'pw', OS_PROJECT_NAME: 'ci' };

describe("the operator's Keystone credentials", () => {
  it('an RC file: password auth scoped to the project, domains by name or id, "default" when none is given', () => {
    assert.deepEqual(keystoneCredentials({ ...RC, OS_USER_DOMAIN_NAME: 'Users', OS_PROJECT_DOMAIN_ID: 'p1' }).request, {
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'ops', domain: { name: 'Users' }, password: 'pw' } } },
        scope: { project: { name: 'ci', domain: { id: 'p1' } } },
      },
    });
    const plain = keystoneCredentials(RC);
    assert.deepEqual((plain.request as any).auth.scope.project.domain, { id: 'default' });
    assert.equal(plain.interface, 'public');
    assert.equal(plain.region, undefined);
    assert.deepEqual((keystoneCredentials({ ...RC, OS_PROJECT_ID: 'abc' }).request as any).auth.scope, { project: { id: 'abc' } });
  });

  it('application credentials by id, unscoped; OS_INTERFACE and OS_REGION_NAME are kept', () => {
    const env = { OS_AUTH_URL: RC.OS_AUTH_URL, OS_AUTH_TYPE: 'v3applicationcredential', OS_APPLICATION_CREDENTIAL_ID: 'ac', OS_APPLICATION_CREDENTIAL_SECRET: 's', OS_INTERFACE: 'internal', OS_REGION_NAME: 'R2' };
    const credentials = keystoneCredentials(env);
    assert.deepEqual(credentials.request, { auth: { identity: { methods: ['application_credential'], application_credential: { id: 'ac', secret: 's' } } } });
    assert.equal(credentials.interface, 'internal');
    assert.equal(credentials.region, 'R2');
  });

  it('clouds.yaml by OS_CLOUD, with the password from secure.yaml beside it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clouds-'));
    writeFileSync(join(dir, 'clouds.yaml'), 'clouds:\n  lab:\n    region_name: R1\n    auth:\n      auth_url: https://k/\n      username: ops\n      project_id: p\n');
    writeFileSync(join(dir, 'secure.yaml'), 'clouds:\n  lab:\n    auth:\n      password: from-secure\n');
    const credentials = keystoneCredentials({ OS_CLOUD: 'lab', OS_CLIENT_CONFIG_FILE: join(dir, 'clouds.yaml') });
    assert.equal(credentials.authUrl, 'https://k/');
    assert.equal(credentials.region, 'R1');
    assert.equal((credentials.request as any).auth.identity.password.user.password, 'from-secure');
    assert.throws(() => keystoneCredentials({ OS_CLOUD: 'other', OS_CLIENT_CONFIG_FILE: join(dir, 'clouds.yaml') }), /^Error: OS_CLOUD=other: no cloud of that name in /);
  });

  it('says what is missing, in one line', () => {
    assert.throws(() => keystoneCredentials({ ...RC, OS_PASSWORD: '' }), /^Error: no password: set OS_PASSWORD/);
    assert.throws(() => keystoneCredentials({ ...RC, OS_PROJECT_NAME: '' }), /^Error: no project: set OS_PROJECT_NAME or OS_PROJECT_ID/);
    assert.throws(() => keystoneCredentials({ ...RC, OS_AUTH_TYPE: 'v3oidcpassword' }), /auth_type v3oidcpassword is not supported: use password or v3applicationcredential/);
  });
});

describe('Keystone URLs and the catalog', () => {
  it('the tokens URL with or without /v3 in the auth URL', () => {
    assert.equal(tokensUrl('https://k:5000'), 'https://k:5000/v3/auth/tokens');
    assert.equal(tokensUrl('https://k:5000/v3/'), 'https://k:5000/v3/auth/tokens');
    assert.equal(tokensUrl('https://k/identity/v3'), 'https://k/identity/v3/auth/tokens');
  });

  const endpoint = (region: string, iface: string, url: string) => ({ interface: iface, region, region_id: region, url });
  const catalog = [
    { type: 'identity', endpoints: [endpoint('R1', 'public', 'https://k')] },
    { type: 'key-manager', endpoints: [endpoint('R1', 'public', 'https://b1/v1/'), endpoint('R1', 'internal', 'http://b1-int'), endpoint('R2', 'public', 'https://b2')] },
  ];

  it('picks the interface and region, and strips /v1 and a trailing slash', () => {
    assert.equal(catalogEndpoint(catalog, 'key-manager', 'public', 'R1', 'K'), 'https://b1');
    assert.equal(catalogEndpoint(catalog, 'key-manager', 'internal', undefined, 'K'), 'http://b1-int');
  });

  it('refuses to guess between regions, and names a missing service', () => {
    assert.throws(() => catalogEndpoint(catalog, 'key-manager', 'public', undefined, 'K'), /^Error: K: key-manager is in several regions \(R1, R2\): set openstack.region in the cluster file or OS_REGION_NAME$/);
    assert.throws(() => catalogEndpoint(catalog, 'key-manager', 'public', 'R3', 'K'), /^Error: K: the catalog has no key-manager endpoint \(interface public, region R3\)/);
  });
});
