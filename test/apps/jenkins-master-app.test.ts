import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { constraintProblems } from '../../lib/apps/constraint-check';
import { EDGE_HOST_LABEL, EDGE_PATH_LABEL, jenkinsMasterApp, jenkinsMasters } from '../../lib/apps/jenkins-master-app';
import { marathonAppProblems } from '../../lib/apps/marathon-schema';
import { buildTopology, PORTS } from '../../lib/model';
import { EXAMPLE_FILE, exampleCluster } from '../support/aws-synth';
import { entryBundle } from '../support/run-cli';
import { patchYaml } from '../support/yaml-patch';

const REPO = join(__dirname, '..', '..');
const topology = buildTopology(exampleCluster({ edge: { domain: 'ci.example.com' } }));
const masters = jenkinsMasters(topology);

describe('Jenkins master apps', () => {
  it('one per agent of the Marathon-reserved pool with volumes', () => {
    assert.deepEqual(masters.map((m) => m.appId), ['/jenkins/jenkins-masters-1', '/jenkins/jenkins-masters-2', '/jenkins/jenkins-masters-3']);
  });

  it('pass Marathon 1.10 app schema (Ajv 2020-12, strict), which does refuse a broken app', () => {
    for (const master of masters) assert.deepEqual(marathonAppProblems(jenkinsMasterApp(master)), [], master.appId);
    const broken = { ...jenkinsMasterApp(masters[0]), id: '/Jenkins/UPPER', cpus: -1, constraints: [['pool']] };
    assert.ok(marathonAppProblems(broken).length >= 3, marathonAppProblems(broken).join('\n'));
  });

  it('are constrained to their pool and their volume agent by attributes those agents carry, on Marathon role resources', () => {
    for (const master of masters) {
      const app = jenkinsMasterApp(master) as any;
      assert.deepEqual(app.constraints, [['pool', 'CLUSTER', 'jenkins-masters'], ['volume', 'CLUSTER', master.agent.name]]);
      assert.deepEqual(constraintProblems(app.constraints, master.pool), []);
      assert.equal(app.role, 'marathon');
      assert.deepEqual(app.acceptedResourceRoles, ['marathon']);
    }
    assert.equal(constraintProblems([['volume', 'CLUSTER', 'jenkins-masters-9']], masters[0].pool).length, 1, 'an agent the pool does not have');
    assert.equal(constraintProblems([['rack', 'CLUSTER', 'other']], masters[0].pool).length, 1, 'a value the pool does not carry');
    assert.deepEqual(constraintProblems([['rack', 'CLUSTER', 'shared']], masters[0].pool), []);
  });

  it('keep their home on the data volume, limit memory and CPU, check health, reap zombies and carry the edge labels', () => {
    const app = jenkinsMasterApp(masters[1]) as any;
    assert.deepEqual(app.container.volumes[0], { containerPath: '/var/jenkins_home', hostPath: '/var/lib/jenkins/jenkins-masters-2', mode: 'RW' });
    assert.ok(app.mem > 0 && app.cpus > 0);
    assert.equal(app.healthChecks[0].path, '/jenkins/jenkins-masters-2/login');
    assert.match(app.cmd, /exec \/usr\/bin\/tini -s -- .*--prefix=\/jenkins\/jenkins-masters-2$/);
    assert.deepEqual(app.labels, { [EDGE_PATH_LABEL]: '/jenkins/jenkins-masters-2', [EDGE_HOST_LABEL]: 'jenkins-masters-2.ci.example.com' });
  });

  it("listen on the two fixed ports the firewall opens to builds (HTTP, inbound agents), required as host ports", () => {
    for (const master of masters) {
      const app = jenkinsMasterApp(master) as any;
      assert.deepEqual(app.portDefinitions.map((p: { port: number }) => p.port), [PORTS.jenkinsHttp, PORTS.jenkinsInboundAgent]);
      assert.equal(app.requirePorts, true);
      assert.match(app.cmd, /slaveAgentPort=\$PORT1 .*--httpPort=\$PORT0/);
    }
  });

  it('on a pool with Docker, run in the Docker containerizer with its --init', () => {
    const dockerTopology = buildTopology(exampleCluster({ pools: { 'jenkins-masters': { docker: true } } }));
    const app = jenkinsMasterApp(jenkinsMasters(dockerTopology)[0]) as any;
    assert.equal(app.container.type, 'DOCKER');
    assert.deepEqual(app.container.docker.parameters, [{ key: 'init', value: 'true' }]);
    assert.deepEqual(marathonAppProblems(app), []);
  });
});

describe('npm run apps', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [entryBundle('lib/cli/apps.ts'), ...args], { encoding: 'utf8', cwd: REPO });

  it('writes an app definition and Mesos-cloud settings per Jenkins master, and refuses a cluster without one', () => {
    const out = mkdtempSync(join(tmpdir(), 'mesos-cluster-apps-'));
    const result = run(EXAMPLE_FILE, out);
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(readdirSync(out).sort(), ['1', '2', '3'].flatMap((n) => [`jenkins-masters-${n}.casc.yaml`, `jenkins-masters-${n}.marathon.json`]));
    assert.equal(JSON.parse(readFileSync(join(out, 'jenkins-masters-3.marathon.json'), 'utf8')).id, '/jenkins/jenkins-masters-3');

    const noJenkins = join(out, 'no-jenkins.yaml');
    writeFileSync(noJenkins, patchYaml(readFileSync(EXAMPLE_FILE, 'utf8'), { pools: { 'jenkins-masters': undefined } }));
    const refused = run(noJenkins, join(out, 'none'));
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /no pool is reserved for role marathon with a volume/);
    assert.throws(() => execFileSync('ls', [join(out, 'none')], { stdio: 'pipe' }), 'nothing written');
  });
});
