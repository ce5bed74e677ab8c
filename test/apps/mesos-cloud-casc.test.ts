/**
 * The Jenkins masters' Configuration-as-Code: held to the mesos plugin's own configuration model
 * (reference/jenkins-mesos-plugin/), and pointed at the agent's framework proxy, which holds the
 * framework secret so that no master does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { jenkinsMasterApp, jenkinsMasters } from '../../lib/apps/jenkins-master-app';
import { marathonAppProblems } from '../../lib/apps/marathon-schema';
import { mesosCloudCasc } from '../../lib/apps/mesos-cloud-casc';
import { FRAMEWORK_PROXY_LOGIN, FRAMEWORK_PROXY_URL } from '../../lib/cloud-init/framework-proxy-files';
import { SECRETS } from '../../lib/cloud-init/layout';
import { mesosAcls } from '../../lib/cloud-init/mesos-acls';
import { buildTopology, JENKINS_PRINCIPAL, nodeIdentities } from '../../lib/model';
import { exampleCluster } from '../support/aws-synth';
import { mesosCloudProblems, MESOS_PLUGIN_MODEL } from '../support/jcasc-models';

const topology = buildTopology(exampleCluster({ edge: { domain: 'ci.example.com' } }));
const masters = jenkinsMasters(topology);
const cascOf = (i: number) => parse(mesosCloudCasc(masters[i]));
const cloudOf = (i: number) => cascOf(i).jenkins.clouds[0].mesos;

describe("the plugins' configuration models (reference data)", () => {
  it('come from a named commit of jenkinsci/mesos-plugin', () => {
    assert.equal(MESOS_PLUGIN_MODEL.source.repository, 'jenkinsci/mesos-plugin');
    assert.match(MESOS_PLUGIN_MODEL.source.commit, /^[0-9a-f]{40}$/);
  });

  it('refuses a key the plugin does not have, a missing required key, a wrong type and a value outside an enum', () => {
    const cloud = structuredClone(cloudOf(0));
    cloud.jenkinsUrl = cloud.jenkinsURL;
    delete cloud.jenkinsURL;
    delete cloud.mesosAgentSpecTemplates[0].mem;
    cloud.mesosAgentSpecTemplates[0].maxExecutors = '1';
    cloud.mesosAgentSpecTemplates[0].mode = 'normal';
    cloud.mesosAgentSpecTemplates[0].containerInfo.volumes[0].ro = true;
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
    assert.equal(cloud.mesosMasterUrl, FRAMEWORK_PROXY_URL, "the agent's framework proxy");
    assert.equal(cloud.jenkinsURL, 'http://${HOST}:${PORT0}/jenkins/jenkins-masters-1');
    const container = cloud.mesosAgentSpecTemplates[0].containerInfo;
    assert.equal(container.type, 'DOCKER');
    assert.deepEqual(container.volumes, [{ containerPath: '/var/run/docker.sock', hostPath: '/var/run/docker.sock', readOnly: false }]);
    const builds = topology.pools.find((p) => p.name === 'builds')!;
    assert.ok(builds.docker && builds.mesosRole === '*');
  });

  it('give each master a framework id of its own, from stable names: growing the pools changes no existing id (a restart of Jenkins does not register a new framework)', () => {
    const ids = masters.map((_, i) => cloudOf(i).frameworkId);
    assert.deepEqual(ids, ['ci-aws-jenkins-jenkins-masters-1', 'ci-aws-jenkins-jenkins-masters-2', 'ci-aws-jenkins-jenkins-masters-3']);
    const grown = jenkinsMasters(buildTopology(exampleCluster({ edge: { domain: 'ci.example.com' }, pools: { 'jenkins-masters': { count: 5 }, builds: { count: 9 } } })));
    assert.equal(grown.length, 5);
    const grownIds = grown.map((master) => parse(mesosCloudCasc(master)).jenkins.clouds[0].mesos.frameworkId);
    assert.deepEqual(grownIds.slice(0, 3), ids, 'the first three keep their ids');
    assert.equal(new Set(grownIds).size, 5, 'the new masters get ids of their own');
  });

  it("register with a role the masters' ACLs let principal jenkins register with", () => {
    const acls = mesosAcls(topology) as { register_frameworks: { principals: { values: string[] }; roles: { values: string[] } }[] };
    const jenkins = acls.register_frameworks.filter((e) => e.principals.values.includes(JENKINS_PRINCIPAL));
    assert.equal(jenkins.length, 1);
    for (const i of masters.keys()) assert.deepEqual(jenkins[0].roles.values, [cloudOf(i).role]);
  });
});

describe("the Jenkins masters' Mesos framework credential", () => {
  it("is in no master's Configuration-as-Code, app definition or mounts: the agent's proxy adds it", () => {
    for (const [i, master] of masters.entries()) {
      const text = mesosCloudCasc(master);
      assert.deepEqual(Object.keys(parse(text)), ['jenkins'], 'no credentials section');
      assert.doesNotMatch(text, /\{\{|readFile|secret/i, master.appId);
      assert.equal(cloudOf(i).mesosMasterUrl, FRAMEWORK_PROXY_URL);
      const app = jenkinsMasterApp(master) as any;
      assert.ok(app.container.volumes.every((v: { hostPath: string }) => !v.hostPath.startsWith(SECRETS.dir)), 'no secret file mounted');
      assert.doesNotMatch(JSON.stringify(app), /frameworks\/jenkins|mesos-framework|MESOS_FRAMEWORK_LOGIN/);
      assert.ok(!FRAMEWORK_PROXY_LOGIN.path.startsWith(master.pool.volume!.mountPath), 'the proxy\'s copy is off the data volume, out of its snapshots');
    }
  });

  it('runs no build on a master itself, where a job would share the proxy', () => {
    for (const [i, master] of masters.entries()) assert.equal(cascOf(i).jenkins.numExecutors, 0, master.appId);
  });

  it("reaches the proxy on the agent's loopback: every master runs on the host's network", () => {
    for (const master of masters) {
      const app = jenkinsMasterApp(master) as any;
      assert.deepEqual(app.networks, [{ mode: 'host' }], master.appId);
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
