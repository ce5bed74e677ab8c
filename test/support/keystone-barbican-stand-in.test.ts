import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SECRET_READER_ACCESS_RULES } from '../../lib/openstack/secret-credentials';
import accessRules from '../../reference/openstack-api/keystone-access-rules.json';
import barbicanSecrets from '../../reference/openstack-api/barbican-secrets.json';
import keystoneTokens from '../../reference/openstack-api/keystone-auth-tokens.json';
import { fieldsNotIn, FieldTypes } from './json-fields';
import { KeystoneBarbicanStandIn, pathMatches, sqlLike } from './keystone-barbican-stand-in';

const SECRET_LIST_FIELDS: FieldTypes = {
  ...barbicanSecrets.calls['GET /v1/secrets'].fields,
  ...Object.fromEntries(Object.entries(barbicanSecrets.secret_fields.fields).map(([k, v]) => [`/secrets/[]${k}`, v])),
};

describe('the Keystone/Barbican stand-in against the facts in reference/openstack-api/', () => {
  it("matches access-rule paths as keystonemiddleware does, on every one of the upstream's own cases", () => {
    for (const [path, pattern] of accessRules.path_pattern.matches) assert.equal(pathMatches(pattern, path), true, `${pattern} must match ${path}`);
    for (const [path, pattern] of accessRules.path_pattern.does_not_match) assert.equal(pathMatches(pattern, path), false, `${pattern} must not match ${path}`);
  });

  it('filters names as SQL LIKE, as Barbican does', () => {
    assert.equal(sqlLike('a_c', 'abc'), true);
    assert.equal(sqlLike('a%', 'a/b/c'), true);
    assert.equal(sqlLike('/x/a-b', '/x/a-b'), true);
    assert.equal(sqlLike('/x/a-b', '/x/a-bc'), false);
  });

  const openstack = new KeystoneBarbicanStandIn();
  const post = (path: string, body: object, token?: string) =>
    fetch(`${openstack.barbicanUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { 'x-auth-token': token } : {}) }, body: JSON.stringify(body) });
  const call = (method: string, path: string, token?: string) => fetch(`${openstack.barbicanUrl}${path}`, { method, headers: token ? { 'x-auth-token': token } : {} });
  async function tokenOf(identity: object): Promise<{ status: number; token: string; body: any }> {
    const answer = await fetch(`${openstack.authUrl}/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ auth: { identity } }) });
    return { status: answer.status, token: answer.headers.get(keystoneTokens.response.token_header) ?? '', body: await answer.json() };
  }
  const credential = (id: string, secret = `${id}-secret`) => ({ methods: ['application_credential'], application_credential: { id, secret } });

  before(async () => {
    await openstack.start();
    openstack.addUser('ops', 'ops-password');
    openstack.addApplicationCredential('reader', 'reader-secret', SECRET_READER_ACCESS_RULES);
    openstack.addApplicationCredential('unrestricted', 'unrestricted-secret');
    openstack.addApplicationCredential('no-rules', 'no-rules-secret', []);
  });
  after(() => openstack.stop());

  it("answers POST /v3/auth/tokens with 201, X-Subject-Token and only the API reference's token fields; 401 in Keystone's error shape", async () => {
    for (const identity of [{ methods: ['password'], password: { user: { name: 'ops', password: 'ops-password' } } }, credential('reader')]) {
      const { status, token, body } = await tokenOf(identity);
      assert.equal(status, keystoneTokens.response.status);
      assert.notEqual(token, '');
      assert.deepEqual(fieldsNotIn(body, keystoneTokens.response.fields), []);
    }
    const refused = await tokenOf(credential('reader', 'wrong'));
    assert.equal(refused.status, keystoneTokens.error.status_unauthenticated);
    assert.deepEqual(fieldsNotIn(refused.body, keystoneTokens.error.fields), []);
  });

  it("answers Barbican's secrets calls in the shapes and statuses barbican-secrets.json records, paging the list", async () => {
    const { token } = await tokenOf(credential('unrestricted'));
    for (let i = 0; i < 12; i++) {
      const created = await post('/v1/secrets', { name: '/c/paged', payload: `value-${i}`, payload_content_type: 'text/plain' }, token);
      assert.equal(created.status, barbicanSecrets.calls['POST /v1/secrets'].success);
      assert.deepEqual(fieldsNotIn(await created.json(), barbicanSecrets.calls['POST /v1/secrets'].fields), []);
    }
    const firstPage = await call('GET', '/v1/secrets?name=/c/paged', token);
    assert.equal(firstPage.status, barbicanSecrets.calls['GET /v1/secrets'].success);
    const listed = (await firstPage.json()) as any;
    assert.deepEqual(fieldsNotIn(listed, SECRET_LIST_FIELDS), []);
    assert.equal(listed.secrets.length, barbicanSecrets.calls['GET /v1/secrets'].paging.limit_default, 'the default page');
    assert.equal(listed.total, 12);
    assert.ok(listed.next, 'a next page while total > offset + limit');
    const all = (await (await call('GET', '/v1/secrets?name=/c/paged&limit=1000', token)).json()) as any;
    assert.equal(all.secrets.length, 12, 'limit is capped at 100, which holds all 12');
    assert.equal(all.next, undefined);
    const uuid = String(all.secrets[0].secret_ref).split('/').pop();
    const payload = await call('GET', `/v1/secrets/${uuid}/payload`, token);
    assert.equal(payload.status, barbicanSecrets.calls['GET /v1/secrets/{uuid}/payload'].success);
    assert.match(await payload.text(), /^value-\d+$/);
    assert.equal((await call('DELETE', `/v1/secrets/${uuid}`, token)).status, barbicanSecrets.calls['DELETE /v1/secrets/{uuid}'].success);
    const gone = await call('DELETE', `/v1/secrets/${uuid}`, token);
    assert.ok(barbicanSecrets.calls['DELETE /v1/secrets/{uuid}'].statuses.includes(gone.status));
    assert.equal(gone.status, 404);
    assert.deepEqual(fieldsNotIn(await gone.json(), barbicanSecrets.error.fields), []);
  });

  it("enforces the stack's reader rules as the auth_token filter would: list and payload pass, writes and deletes get the filter's 401", async () => {
    const { token } = await tokenOf(credential('reader'));
    const { token: writer } = await tokenOf(credential('unrestricted'));
    const created = (await (await post('/v1/secrets', { name: '/c/read-me', payload: 'x', payload_content_type: 'text/plain' }, writer)).json()) as any;
    const uuid = String(created.secret_ref).split('/').pop();
    assert.equal((await call('GET', '/v1/secrets?name=/c/read-me', token)).status, 200);
    assert.equal((await call('GET', `/v1/secrets/${uuid}/payload`, token)).status, 200);
    for (const refused of [await post('/v1/secrets', { name: '/c/x', payload: 'x', payload_content_type: 'text/plain' }, token), await call('DELETE', `/v1/secrets/${uuid}`, token), await call('GET', `/v1/secrets/${uuid}`, token)]) {
      assert.equal(refused.status, accessRules.enforcement.refusal.status);
      assert.deepEqual(await refused.json(), accessRules.enforcement.refusal.body);
      assert.match(refused.headers.get('www-authenticate') ?? '', /^Keystone uri=/);
    }
  });

  it('refuses every request of a credential whose access-rule list is empty, and of no token at all', async () => {
    const { token } = await tokenOf(credential('no-rules'));
    for (const answer of [await call('GET', '/v1/secrets', token), await call('GET', '/v1/secrets')]) {
      assert.equal(answer.status, 401);
      assert.deepEqual(await answer.json(), accessRules.enforcement.refusal.body);
    }
  });
});
