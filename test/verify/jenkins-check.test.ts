/**
 * verify's jenkins check against a stand-in leading master (reference-shaped responses) on loopback (its `/master/frameworks`
 * built from reference/mesos/operator-api.json's fields), reached through DirectTransport.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { jenkinsMasters } from '../../lib/apps/jenkins-master-app';
import { buildTopology, PORTS } from '../../lib/model';
import { CheckResult } from '../../lib/verify/check-result';
import { OperatorCredentials } from '../../lib/verify/credentials';
import { DirectTransport } from '../../lib/verify/direct-transport';
import { checkJenkins } from '../../lib/verify/jenkins-check';
import { MasterState } from '../../lib/verify/mesos-check';
import { formatReport } from '../../lib/verify/report';
import { verifyCluster } from '../../lib/verify/verify-cluster';
import { exampleCluster } from '../support/aws-synth';
import { closedPort } from '../support/loopback-http';
import { StandInFramework, ReferenceShapedMesosMaster, testMesosSecret } from '../support/reference-shaped-mesos';

const topology = buildTopology(exampleCluster());
const expected = jenkinsMasters(topology);
const leader = topology.mesos.masters[0];
const elected: MasterState[] = [{ master: leader, answered: true, elected: true, recovered: true }];
const operator: OperatorCredentials = { mesos: { user: 'operator', password: testMesosSecret('operator') }, source: 'test' };

/** The framework each Jenkins master's mesos cloud registers, connected as principal jenkins. */
const frameworkOf = (i: number, changes: Partial<StandInFramework> = {}): StandInFramework => ({ id: expected[i].frameworkId, name: expected[i].frameworkName, ...changes });
const allConnected = () => expected.map((_, i) => frameworkOf(i));
const marathonFramework: StandInFramework = { id: 'marathon-id', name: 'marathon', principal: 'marathon' };
const rowOf = (result: CheckResult, i: number) => result.rows.find((r) => r.subject === expected[i].appId)!;

describe('verify: each Jenkins master has its Mesos framework', () => {
  let master: ReferenceShapedMesosMaster;
  let transport: DirectTransport;
  let nowhere: string;

  before(async () => {
    master = await ReferenceShapedMesosMaster.start({ elected: true });
    nowhere = await closedPort();
    transport = new DirectTransport({
      route: (host, port) => {
        const [h, p] = (host === leader.privateIp && port === PORTS.mesosMaster ? master.address : nowhere).split(':');
        return { host: h, port: Number(p) };
      },
    });
  });
  beforeEach(() => {
    master.frameworks = [];
    master.completedFrameworks = [];
    master.readonlyAuth = false;
  });
  after(() => master?.close());

  it('one ok row per master when its framework is connected, active and registered as principal jenkins', async () => {
    master.frameworks = [marathonFramework, ...allConnected()];
    const result = await checkJenkins(topology, transport, elected);
    assert.equal(result.status, 'ok');
    assert.equal(result.summary, '3 of 3 Jenkins masters connected');
    assert.deepEqual(result.rows.map((r) => [r.subject, r.status, r.state]), [
      ['/jenkins/jenkins-masters-1', 'ok', 'connected, active'],
      ['/jenkins/jenkins-masters-2', 'ok', 'connected, active'],
      ['/jenkins/jenkins-masters-3', 'ok', 'connected, active'],
    ]);
    assert.equal(rowOf(result, 1).detail, 'ci-aws-jenkins-jenkins-masters-2; subscribed 2025-12-01T20:00:00Z');
  });

  it('no framework registered yet (apps not deployed): a skip row each with the file to deploy, and the check is a skip', async () => {
    master.frameworks = [marathonFramework];
    const result = await checkJenkins(topology, transport, elected);
    assert.equal(result.status, 'skip');
    assert.equal(result.summary, '0 of 3 Jenkins masters connected; 3 without a framework yet');
    assert.deepEqual(new Set(result.rows.map((r) => `${r.status} ${r.state}`)), new Set(['skip no framework yet']));
    assert.equal(rowOf(result, 2).detail, 'deploy apps/ci-aws/jenkins-masters-3.marathon.json (docs/ci-platform.md#from-deploy-to-a-first-jenkins-build)');
  });

  it('some deployed, the rest not: ok overall, the rest still skip rows', async () => {
    master.frameworks = [frameworkOf(0)];
    const result = await checkJenkins(topology, transport, elected);
    assert.deepEqual([result.status, result.summary], ['ok', '1 of 3 Jenkins masters connected; 2 without a framework yet']);
    assert.deepEqual(result.rows.map((r) => r.status), ['ok', 'skip', 'skip']);
  });

  it('a disconnected framework fails, saying when it last subscribed (Mesos records no disconnect time)', async () => {
    master.frameworks = [...allConnected().slice(0, 2), frameworkOf(2, { state: 'DISCONNECTED', subscribedSeconds: 1764615600 })];
    const result = await checkJenkins(topology, transport, elected);
    assert.equal(result.status, 'fail');
    const row = rowOf(result, 2);
    assert.deepEqual([row.status, row.state, row.detail], ['fail', 'disconnected, inactive', 'ci-aws-jenkins-jenkins-masters-3; last subscribed 2025-12-01T19:00:00Z']);
    assert.equal(result.summary, '2 of 3 Jenkins masters connected');
  });

  it('connected but inactive, and recovered after a master failover but not re-subscribed: both fail', async () => {
    master.frameworks = [frameworkOf(0, { deactivated: true }), frameworkOf(1, { state: 'RECOVERED' }), frameworkOf(2)];
    const result = await checkJenkins(topology, transport, elected);
    assert.deepEqual([rowOf(result, 0).status, rowOf(result, 0).state], ['fail', 'connected, inactive']);
    assert.deepEqual([rowOf(result, 1).status, rowOf(result, 1).state], ['fail', 'recovered, inactive']);
    assert.match(rowOf(result, 1).detail!, /not re-subscribed since a master failover$/);
    assert.equal(rowOf(result, 2).status, 'ok');
  });

  it('registered under another principal, or none: fails and names what it saw', async () => {
    master.frameworks = [frameworkOf(0, { principal: 'marathon' }), frameworkOf(1, { principal: null }), frameworkOf(2)];
    const result = await checkJenkins(topology, transport, elected);
    assert.equal(result.status, 'fail');
    assert.deepEqual([rowOf(result, 0).status, rowOf(result, 0).state], ['fail', 'connected, active, principal marathon']);
    assert.match(rowOf(result, 0).detail!, /expected principal jenkins, which the agent's framework proxy adds/);
    assert.deepEqual([rowOf(result, 1).status, rowOf(result, 1).state], ['fail', 'connected, active, principal (none)']);
  });

  it('a framework the master removed fails with when, since Mesos refuses its id from then on', async () => {
    master.frameworks = allConnected().slice(1);
    master.completedFrameworks = [frameworkOf(0, { state: 'DISCONNECTED', removedSeconds: 1764622800 })];
    const result = await checkJenkins(topology, transport, elected);
    const row = rowOf(result, 0);
    assert.deepEqual([row.status, row.state], ['fail', 'removed 2025-12-01T21:00:00Z']);
    assert.match(row.detail!, /^ci-aws-jenkins-jenkins-masters-1: the leading master refuses this id \("Framework has been removed"\)/);
  });

  it('jenkins-* frameworks no master expects are listed in one skip row, and do not count', async () => {
    const strays: StandInFramework[] = [
      { id: 'random-uuid-0001', name: expected[0].frameworkName },
      { id: 'old-cluster-jenkins-x', name: 'jenkins-x' },
    ];
    master.frameworks = [marathonFramework, ...allConnected(), ...strays];
    const result = await checkJenkins(topology, transport, elected);
    assert.equal(result.status, 'ok');
    assert.equal(result.rows.length, 4);
    assert.deepEqual(result.rows[3], {
      subject: '(not expected)',
      status: 'skip',
      state: '2 other jenkins-* framework(s)',
      detail: 'jenkins-jenkins-masters-1 (random-uuid-0001), jenkins-x (old-cluster-jenkins-x)',
    });
  });

  it('asks the leader as the operator when read-only endpoints want credentials; a refusal is named', async () => {
    master.readonlyAuth = true;
    master.frameworks = allConnected();
    assert.equal((await checkJenkins(topology, transport, elected, operator)).status, 'ok');
    const refused = await checkJenkins(topology, transport, elected);
    assert.equal(refused.status, 'fail');
    assert.equal(refused.summary, "master-1: HTTP 401: credentials required and none given (--credentials-file, or the cluster's secrets in the store)");
  });

  it('fails when no single master leads, or the leader does not answer', async () => {
    const none = await checkJenkins(topology, transport, [{ ...elected[0], elected: false }]);
    assert.deepEqual([none.status, none.summary], ['fail', 'no single leading master to ask']);
    const silent = await checkJenkins(topology, transport, [{ ...elected[0], master: topology.mesos.masters[1] }]);
    assert.deepEqual([silent.status, silent.summary], ['fail', 'master-2 did not list its frameworks']);
  });

  it('verify adds the check after marathon, and its skip rows leave the cluster whole', async () => {
    const report = await verifyCluster(topology, transport, operator);
    assert.deepEqual(report.checks.map((c) => c.check), ['zookeeper', 'mesos-masters', 'agents', 'marathon', 'jenkins', 'edge']);
    const jenkins = report.checks.find((c) => c.check === 'jenkins')!;
    assert.equal(jenkins.status, 'skip');
    // Nothing else answers here, so the cluster is not whole; the jenkins check is not among the reasons.
    assert.doesNotMatch(formatReport(report).split('\n').find((l) => l.includes('NOT whole'))!, /jenkins/);
  });

  it('a cluster without pools that host Jenkins masters has no jenkins check at all', async () => {
    const plain = buildTopology(exampleCluster({ pools: { 'jenkins-masters': undefined } }));
    assert.equal(jenkinsMasters(plain).length, 0);
    const report = await verifyCluster(plain, transport, operator);
    assert.deepEqual(report.checks.map((c) => c.check), ['zookeeper', 'mesos-masters', 'agents', 'marathon', 'edge']);
  });
});
