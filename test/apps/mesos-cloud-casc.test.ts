/**
 * The Jenkins masters' Configuration-as-Code: held to the mesos plugin's own configuration model
 * (reference/jenkins-mesos-plugin/), and wired to the framework secret that fetch-secrets puts
 * on the agents that host the masters.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { JENKINS_FRAMEWORK_SECRET_MOUNT, jenkinsMasterApp, jenkinsMasters } from '../../lib/apps/jenkins-master-app';
import { marathonAppProblems } from '../../lib/apps/marathon-schema';
import { MESOS_FRAMEWORK_CREDENTIAL_ID, mesosCloudCasc } from '../../lib/apps/mesos-cloud-casc';
import { JENKINS_FRAMEWORK_SECRET_FILE } from '../../lib/cloud-init/jenkins-framework-secret';
import { mesosAcls } from '../../lib/cloud-init/mesos-acls';
import { buildTopology, JENKINS_PRINCIPAL, nodeIdentities } from '../../lib/model';
import { exampleCluster } from '../support/aws-synth';
import { CREDENTIALS_PLUGIN_MODEL, credentialsProblems, mesosCloudProblems, MESOS_PLUGIN_MODEL } from '../support/jcasc-models';

const topology = buildTopology(exampleCluster({ edge: { domain: 'ci.example.com' } }));
const masters = jenkinsMasters(topology);
const cascOf = (i: number) => parse(mesosCloudCasc(topology, masters[i]));
const cloudOf = (i: number) => cascOf(i).jenkins.clouds[0].mesos;

describe("the plugins' configuration models (reference data)", () => {
  it('come from named commits of jenkinsci/mesos-plugin and jenkinsci/credentials-plugin', () => {
    assert.deepEqual(
      [MESOS_PLUGIN_MODEL, CREDENTIALS_PLUGIN_MODEL].map((m) => m.source.repository),
      ['jenkinsci/mesos-plugin', 'jenkinsci/credentials-plugin'],
    );
    for (const model of [MESOS_PLUGIN_MODEL, CREDENTIALS_PLUGIN_MODEL]) assert.match(model.source.commit, /^[0-9a-f]{40}$/);
  });

  it('refuses a key the plugin does not have, a missing required key, a wrong type and a value outside an enum', () => {
    const cloud = structuredClone(cloudOf(0));
    cloud.jenkinsUrl = cloud.jenkinsURL;
    delete cloud.jenkinsURL;
    delete cloud.mesosAgentSpecTemplates[0].mem;
    cloud.mesosAgentSpecTemplates[0].maxExecutors = '1';
    cloud.mesosAgentSpecTemplates[0].mode = 'normal';
    cloud.mesosAgentSpecTemplates[0].containerInfo.volumes[0].ro = true;
    const credential = { usernamePassword: { scope: 'system', id: 'x', user: 'jenkins' } };
    assert.deepEqual(credentialsProblems({ credentials: { system: { domainCredentials: [{ credentials: [credential, { secretText: {} }] }] } } }), [
      'credentials.system.domainCredentials[0].credentials[0].usernamePassword.user: not a key of usernamePassword (scope, id, description, username, password, usernameSecret)',
      'credentials.system.domainCredentials[0].credentials[0].usernamePassword.scope: "system" is not one of SYSTEM, GLOBAL, USER',
      'credentials.system.domainCredentials[0].credentials[1]: not one of `usernamePassword:`',
    ]);
    assert.deepEqual(mesosCloudProblems({ jenkins: { clouds: [{ mesos: cloud }] } }).sort(), [
      'jenkins.clouds[0].mesos.jenkinsURL: required by MesosCloud, missing',
      'jenkins.clouds[0].mesos.jenkinsUrl: not a key of MesosCloud (mesosMasterUrl, frameworkName, frameworkId, role, agentUser, jenkinsURL, mesosAgentSpecTemplates)',
      'jenkins.clouds[0].mesos.mesosAgentSpecTemplates[0].containerInfo.volumes[0].ro: not a key of Volume (containerPath, hostPath, readOnly)',
      'jenkins.clouds[0].mesos.mesosAgentSpecTemplates[0].maxExecutors: "1" is not an integer',
      'jenkins.clouds[0].mesos.mesosAgentSpecTemplates[0].mem: required by MesosAgentSpecTemplate, missing',
      'jenkins.clouds[0].mesos.mesosAgentSpecTemplates[0].mode: "normal" is not one of NORMAL, EXCLUSIVE',
    ]);
  });
});

describe('Jenkins Mesos-cloud settings', () => {
  it("use only keys of the mesos plugin 2.0's classes, each of its type, with every required key", () => {
    for (const [i, master] of masters.entries()) assert.deepEqual(mesosCloudProblems(cascOf(i)), [], master.appId);
  });

  it('launch builds in Docker with the host Docker socket, as unreserved (builds pool) tasks, calling back the master through its path', () => {
    const cloud = cloudOf(0);
    assert.equal(cloud.role, '*');
    assert.equal(cloud.mesosMasterUrl, topology.mesos.zkUrl);
    assert.match(cloud.mesosMasterUrl, /^zk:\/\/[0-9.:,]+\/mesos$/, 'no credentials: /mesos is world-readable');
    assert.equal(cloud.jenkinsURL, 'http://${HOST}:${PORT0}/jenkins/jenkins-masters-1');
    const container = cloud.mesosAgentSpecTemplates[0].containerInfo;
    assert.equal(container.type, 'DOCKER');
    assert.deepEqual(container.volumes, [{ containerPath: '/var/run/docker.sock', hostPath: '/var/run/docker.sock', readOnly: false }]);
    const builds = topology.pools.find((p) => p.name === 'builds')!;
    assert.ok(builds.docker && builds.mesosRole === '*');
  });

  it('give each master a framework id of its own, the same on every render (a restart of Jenkins does not register a new framework)', () => {
    const ids = masters.map((_, i) => cloudOf(i).frameworkId);
    assert.deepEqual(ids, ['ci-aws-jenkins-jenkins-masters-1', 'ci-aws-jenkins-jenkins-masters-2', 'ci-aws-jenkins-jenkins-masters-3']);
    assert.equal(cloudOf(1).frameworkId, parse(mesosCloudCasc(topology, masters[1])).jenkins.clouds[0].mesos.frameworkId, 'the same on every render');
  });

  it("register with a role the masters' ACLs let principal jenkins register with", () => {
    const acls = mesosAcls(topology) as { register_frameworks: { principals: { values: string[] }; roles: { values: string[] } }[] };
    const jenkins = acls.register_frameworks.filter((e) => e.principals.values.includes(JENKINS_PRINCIPAL));
    assert.equal(jenkins.length, 1);
    for (const i of masters.keys()) assert.deepEqual(jenkins[0].roles.values, [cloudOf(i).role]);
  });
});

describe("the Jenkins masters' Mesos framework credential", () => {
  it("is a SYSTEM credential of principal jenkins whose password JCasC reads from the mounted file, never a value", () => {
    for (const i of masters.keys()) {
      const text = mesosCloudCasc(topology, masters[i]);
      assert.deepEqual(credentialsProblems(parse(text)), [], 'keys of the credentials plugin');
      const [entry] = parse(text).credentials.system.domainCredentials[0].credentials;
      assert.deepEqual(Object.keys(entry), ['usernamePassword']);
      const { scope, id, username, password } = entry.usernamePassword;
      assert.deepEqual({ scope, id, username, password }, {
        scope: 'SYSTEM',
        id: MESOS_FRAMEWORK_CREDENTIAL_ID,
        username: JENKINS_PRINCIPAL,
        password: `\${readFile:${JENKINS_FRAMEWORK_SECRET_MOUNT}}`,
      });
      assert.doesNotMatch(text, /\{\{/, 'no fetch-secrets placeholder either');
    }
  });

  it("is mounted read-only from the agent's copy into every master, and kept out of its env and labels", () => {
    for (const master of masters) {
      const app = jenkinsMasterApp(master) as any;
      const mounts = app.container.volumes.filter((v: { containerPath: string }) => v.containerPath === JENKINS_FRAMEWORK_SECRET_MOUNT);
      assert.deepEqual(mounts, [{ containerPath: JENKINS_FRAMEWORK_SECRET_MOUNT, hostPath: JENKINS_FRAMEWORK_SECRET_FILE.path, mode: 'RO' }]);
      assert.ok(!JENKINS_FRAMEWORK_SECRET_FILE.path.startsWith(master.pool.volume!.mountPath), 'off the data volume, out of its snapshots');
      assert.doesNotMatch(JSON.stringify([app.env, app.labels, app.cmd]), /frameworks\/jenkins|mesos-framework-jenkins|readFile/);
      assert.deepEqual(marathonAppProblems(app), [], master.appId);
    }
  });

  it("is a secret the agents hosting the masters may read, and no other pool's", () => {
    const identities = new Map(nodeIdentities(topology).map((i) => [i.name, i.secrets]));
    assert.ok(identities.get('jenkins-masters')!.includes('frameworks/jenkins/mesos-secret'));
    for (const [name, secrets] of identities) {
      if (name !== 'jenkins-masters') assert.ok(!secrets.includes('frameworks/jenkins/mesos-secret'), name);
    }
  });
});
