/**
 * The rendered authentication settings of every role: Mesos master and agent flags, the
 * masters' ACLs, Marathon's settings, and the secret templates that hold names, never values.
 * What a node writes from them at boot is in auth-at-boot.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MESOS, SECRETS } from '../../lib/cloud-init/layout';
import { MARATHON_SECRET_FILES, MARATHON_SECRETS_DROP_IN } from '../../lib/cloud-init/marathon-files';
import { AGENT_SECRET_FILES, MASTER_ACLS_FILE, MASTER_SECRET_FILES } from '../../lib/cloud-init/mesos-auth';
import { placeholdersOf } from '../../lib/cloud-init/secret-files';
import { mesosPrincipals, nodeIdentities, SERVER_NAME_PREFIX } from '../../lib/model';
import { allFixtureDocuments, CloudConfig, fileAt, fixtureTopologies, parseCloudConfig, REPO } from '../support/cloud-init-fixtures';
import { parseEnvironmentFile } from '../support/marathon-env';

const documents = allFixtureDocuments();
const doc = (id: string) => parseCloudConfig(documents.find((d) => d.id === id)!.text);
const flagsOf = (config: CloudConfig, dir: string) =>
  Object.fromEntries(
    config.write_files
      .filter((f) => f.path.startsWith(`${dir}/`) && !f.path.slice(dir.length + 1).includes('/'))
      .map((f) => {
        const name = f.path.slice(dir.length + 1);
        return name.startsWith('?') ? [name.slice(1), true] : [name, f.content.trim()];
      }),
  );

describe('Mesos authentication as rendered', () => {
  it('masters: CRAM-MD5 for frameworks and agents, HTTP basic for read-write and the v1 scheduler API, credentials and ZooKeeper URL from files, ACLs', () => {
    const flags = flagsOf(doc('ci-aws/master-1'), MESOS.masterFlagDir);
    assert.deepEqual(
      {
        zk: flags.zk,
        authenticate_frameworks: flags.authenticate_frameworks,
        authenticate_agents: flags.authenticate_agents,
        authenticate_http_frameworks: flags.authenticate_http_frameworks,
        http_framework_authenticators: flags.http_framework_authenticators,
        authenticate_http_readwrite: flags.authenticate_http_readwrite,
        authenticate_http_readonly: flags.authenticate_http_readonly,
        credentials: flags.credentials,
        acls: flags.acls,
      },
      {
        zk: `file://${MASTER_SECRET_FILES.zkUrl}`,
        authenticate_frameworks: true,
        authenticate_agents: true,
        authenticate_http_frameworks: true,
        http_framework_authenticators: 'basic',
        authenticate_http_readwrite: true,
        // Off: the UI and the load balancer's leader check read without credentials.
        authenticate_http_readonly: undefined,
        credentials: MASTER_SECRET_FILES.credentials,
        acls: `file://${MASTER_ACLS_FILE}`,
      },
    );
  });

  it("agents: the pool's own credential, HTTP authentication on every endpoint, and the masters' znodes read without credentials", () => {
    for (const pool of ['builds', 'jenkins-masters']) {
      const flags = flagsOf(doc(`ci-aws/${pool}`), MESOS.agentFlagDir);
      assert.equal(flags.credential, AGENT_SECRET_FILES.credential);
      assert.equal(flags.http_credentials, AGENT_SECRET_FILES.httpCredentials);
      assert.equal(flags.authenticate_http_readwrite, true);
      assert.equal(flags.authenticate_http_readonly, true);
      assert.doesNotMatch(String(flags.master), /@/, 'agents hold no ZooKeeper credentials');
    }
  });
});

describe("the masters' ACLs (Mesos 1.11 local authorizer)", () => {
  const acls = JSON.parse(fileAt(doc('ci-aws/master-1'), MASTER_ACLS_FILE)!.content);
  const reference: Record<string, string> = JSON.parse(readFileSync(join(REPO, 'reference/mesos/mesos-acls.json'), 'utf8')).actions;

  it('refuse whatever no entry allows', () => {
    assert.equal(acls.permissive, false);
  });

  it('use only actions of Mesos 1.11, each with its own object field', () => {
    for (const [action, entries] of Object.entries(acls)) {
      if (action === 'permissive') continue;
      assert.ok(reference[action], `unknown action ${action}`);
      for (const entry of entries as Record<string, unknown>[]) assert.deepEqual(Object.keys(entry).sort(), ['principals', reference[action]].sort(), action);
    }
  });

  it("let only marathon register with Marathon's role, jenkins only with the default role, and no one else register a framework", () => {
    assert.deepEqual(acls.register_frameworks, [
      { principals: { values: ['marathon'] }, roles: { values: ['marathon'] } },
      { principals: { values: ['jenkins'] }, roles: { values: ['*'] } },
    ]);
  });

  it('give teardown, maintenance, deactivation, quota, weights, logs and sandboxes to the operator alone', () => {
    for (const action of ['teardown_frameworks', 'update_maintenance_schedules', 'deactivate_agents', 'update_quotas', 'update_weights', 'access_mesos_logs', 'access_sandboxes']) {
      assert.equal(acls[action].length, 1, action);
      assert.deepEqual(acls[action][0].principals, { values: ['operator'] }, action);
    }
  });

  // The local authorizer decides by the first entry whose principals match (objects of these actions are implicit).
  const firstMatch = (action: string, principal: string) =>
    (acls[action] as Record<string, any>[]).find((e) => e.principals.type === 'ANY' || e.principals.values?.includes(principal));
  const allowed = (action: string, principal: string) => {
    const entry = firstMatch(action, principal);
    return entry !== undefined && entry[reference[action]].type !== 'NONE';
  };
  const principals = mesosPrincipals(fixtureTopologies()[0].topology);

  it('let the operator alone drain, reactivate, mark gone and deactivate agents: pools drain through the masters\' drain gate', () => {
    for (const action of ['drain_agents', 'reactivate_agents', 'mark_agents_gone', 'deactivate_agents']) {
      assert.deepEqual(principals.filter((p) => allowed(action, p.principal)).map((p) => p.principal), ['operator'], action);
    }
  });

  it("let only the pools' principals register agents, by name", () => {
    assert.deepEqual(acls.register_agents, [{ principals: { values: ['agent-jenkins-masters', 'agent-builds'] }, agents: { type: 'ANY' } }]);
    assert.deepEqual(principals.filter((p) => allowed('register_agents', p.principal)).map((p) => p.principal), ['agent-jenkins-masters', 'agent-builds']);
  });

  it("give a pool's principal nothing else that changes the cluster: registering, its own role's static reservations and the read-only views", () => {
    const agentMay = new Set(['register_agents', 'get_endpoints']);
    for (const action of Object.keys(acls).filter((a) => a !== 'permissive')) {
      if (agentMay.has(action) || action.startsWith('view_') || action.startsWith('get_')) continue;
      assert.equal(allowed(action, 'agent-builds'), false, action);
    }
    assert.deepEqual(acls.reserve_resources[0], { principals: { values: ['agent-jenkins-masters'] }, roles: { values: ['marathon'] } }, 'its static reservation, authorized at registration');
    assert.deepEqual(acls.get_endpoints[0], { principals: { type: 'ANY' }, paths: { values: ['/metrics/snapshot'] } }, 'endpoints: the metrics only');
  });

  it("keep reservations and volumes within a framework's own roles and its own reservations", () => {
    assert.deepEqual(acls.reserve_resources[1], { principals: { values: ['marathon'] }, roles: { values: ['marathon'] } });
    assert.deepEqual(acls.unreserve_resources[0], { principals: { values: ['marathon'] }, reserver_principals: { values: ['marathon'] } });
    assert.deepEqual(acls.destroy_volumes[1], { principals: { values: ['jenkins'] }, creator_principals: { values: ['jenkins'] } });
  });
});

describe('Marathon authentication as rendered', () => {
  it('registers as principal marathon with its secret file, and takes ZooKeeper and API credentials from the secrets environment', () => {
    const config = doc('ci-aws/marathon-1');
    const env = Object.fromEntries(parseEnvironmentFile(fileAt(config, '/etc/default/marathon')!.content).vars);
    assert.equal(env.MARATHON_MESOS_AUTHENTICATION, '', 'the bare toggle');
    assert.equal(env.MARATHON_MESOS_AUTHENTICATION_PRINCIPAL, 'marathon');
    assert.equal(env.MARATHON_MESOS_AUTHENTICATION_SECRET_FILE, MARATHON_SECRET_FILES.mesosSecret);
    assert.equal(env.MARATHON_ZK, undefined);
    assert.equal(env.MARATHON_HTTP_CREDENTIALS, undefined);
    assert.match(fileAt(config, MARATHON_SECRETS_DROP_IN)!.content, new RegExp(`^EnvironmentFile=${MARATHON_SECRET_FILES.environment}$`, 'm'));
  });
});

describe('secrets: names in user-data, values only on the node', () => {
  it('no document holds a value: every secret is a {{placeholder}}, and each node uses exactly the secrets its identity may read', () => {
    for (const { name, topology } of fixtureTopologies()) {
      const identities = new Map(nodeIdentities(topology).map((i) => [i.name, i]));
      for (const document of documents.filter((d) => d.id.startsWith(`${name}/`))) {
        const config = parseCloudConfig(document.text);
        const used = config.write_files.filter((f) => f.path.startsWith(`${SECRETS.templateDir}/`)).flatMap((f) => placeholdersOf(f.content));
        const node = document.id.split('/')[1];
        const identity =
          document.kind === 'pool' || document.kind === 'edge' ? node : document.kind === 'server' ? SERVER_NAME_PREFIX[document.role as keyof typeof SERVER_NAME_PREFIX] : undefined;
        const allowed = identity === undefined ? [] : identities.get(identity)!.secrets;
        assert.deepEqual([...new Set(used)].sort(), [...allowed].sort(), document.id);
        assert.doesNotMatch(document.text, /Stub[0-9a-f]{24}/, document.id);
      }
    }
  });
});
