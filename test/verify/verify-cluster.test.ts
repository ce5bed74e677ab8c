/**
 * `verify` against a real ZooKeeper ensemble (rendered from the example cluster, on loopback)
 * and stand-in Mesos master and Marathon servers with reference-shaped responses on loopback, reached through DirectTransport
 * with each private address routed to its stand-in.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { renderServerUserData } from '../../lib/cloud-init';
import { buildTopology, PORTS } from '../../lib/model';
import { DirectTransport } from '../../lib/verify/direct-transport';
import { SshRunner, SshTransport } from '../../lib/verify/ssh-transport';
import { formatReport, reportJson } from '../../lib/verify/report';
import { verifyCluster, VerifyReport } from '../../lib/verify/verify-cluster';
import { OperatorCredentials } from '../../lib/verify/credentials';
import { exampleCluster } from '../support/aws-synth';
import { StandInAgent, ReferenceShapedMesosMaster, testMesosSecret } from '../support/reference-shaped-mesos';
import { ReferenceShapedMarathon, TEST_MARATHON_PASSWORD } from '../support/reference-shaped-marathon';
import { assertToolAvailable, gateOn } from '../support/tool-gate';
import { LocalEnsemble, poll } from '../support/zookeeper-ensemble';
import { probeZookeeperRuntime } from '../support/zookeeper-runtime';

const probe = probeZookeeperRuntime();
const missing = probe.ok ? undefined : `ZooKeeper is not runnable here: ${probe.reason}`;
const topology = buildTopology(exampleCluster());

/** Every agent of every pool, registered and serving. */
function fullAgents(): StandInAgent[] {
  return topology.pools.flatMap((pool) =>
    Array.from({ length: pool.count }, (_, i) => ({ id: `S-${pool.name}-${i}`, hostname: `10.20.${64 + i}.${10 + i}`, pool: pool.name })),
  );
}

/** The operator's credentials as the stand-in servers know them. */
const credentials: OperatorCredentials = {
  marathon: { user: 'operator', password: TEST_MARATHON_PASSWORD },
  mesos: { user: 'operator', password: testMesosSecret('operator') },
  source: 'test',
};

const check = (report: VerifyReport, name: string) => report.checks.find((c) => c.check === name)!;

describe('verify: a whole cluster and the ways it is not', gateOn(missing), () => {
  let ensemble: LocalEnsemble;
  let masters: ReferenceShapedMesosMaster[];
  let marathons: ReferenceShapedMarathon[];
  let transport: DirectTransport;
  let stands: Map<string, string>;

  before(async () => {
    assertToolAvailable(missing);
    if (!probe.ok) return;
    ensemble = await LocalEnsemble.prepare({ runtime: probe.runtime, topology, render: renderServerUserData, workDir: mkdtempSync(join(tmpdir(), 'verify-zk-')) });
    ensemble.startAll();
    masters = await Promise.all(topology.mesos.masters.map((_, i) => ReferenceShapedMesosMaster.start({ elected: i === 1, agents: fullAgents() })));
    marathons = await Promise.all(topology.marathon.servers.map(() => ReferenceShapedMarathon.start(`${topology.marathon.servers[2].privateIp}:${PORTS.marathonHttp}`)));
    stands = new Map<string, string>([
      ...ensemble.nodes.map((n) => [`${n.server.privateIp}:${PORTS.zookeeperClient}`, `${n.loopback}:${PORTS.zookeeperClient}`] as const),
      ...topology.mesos.masters.map((m, i) => [`${m.privateIp}:${PORTS.mesosMaster}`, masters[i].address] as const),
      ...topology.marathon.servers.map((s, i) => [`${s.privateIp}:${PORTS.marathonHttp}`, marathons[i].address] as const),
    ]);
    transport = new DirectTransport({
      route: (host, port) => {
        const [h, p] = (stands.get(`${host}:${port}`) ?? `127.0.0.1:1`).split(':');
        return { host: h, port: Number(p) };
      },
    });
    // A deadline for three JVMs starting on a loaded machine; the wait ends as soon as they elect.
    await ensemble.waitForQuorum({ members: ensemble.nodes, timeoutMs: 240_000 });
  });
  after(async () => {
    await Promise.all([ensemble?.dispose(), ...(masters ?? []).map((m) => m.close()), ...(marathons ?? []).map((m) => m.close())]);
  });

  it('reports a whole cluster: ZooKeeper leader and followers, the leading master, every pool at count, the Marathon leader; Jenkins not deployed yet is a skip', async () => {
    const report = await verifyCluster(topology, transport, credentials);
    assert.equal(report.whole, true, formatReport(report));
    const zookeeper = check(report, 'zookeeper');
    assert.deepEqual(zookeeper.rows.map((r) => r.state).sort(), ['follower', 'follower', 'leader']);
    assert.match(zookeeper.summary, /^leader zookeeper-\d, 2 of 2 followers synced$/);
    assert.equal(check(report, 'mesos-masters').summary, 'leader master-2; 3 of 3 logs recovered (quorum 2)');
    assert.deepEqual(check(report, 'agents').rows.map((r) => `${r.subject} ${r.state}`), ['jenkins-masters 3/3 serving', 'builds 6/6 serving']);
    assert.equal(check(report, 'marathon').summary, 'leader marathon-3');
    assert.equal(check(report, 'edge').status, 'skip', 'no edge proxy yet: shown, not counted');
    assert.equal(check(report, 'jenkins').status, 'skip', 'no Jenkins app deployed yet: shown, not counted');
    assert.deepEqual(check(report, 'jenkins').rows.map((r) => r.state), ['no framework yet', 'no framework yet', 'no framework yet']);
    const json = JSON.parse(reportJson(report));
    assert.equal(json.whole, true);
    assert.deepEqual(json.checks.map((c: any) => c.check), ['zookeeper', 'mesos-masters', 'agents', 'marathon', 'jenkins', 'edge']);
    assert.match(formatReport(report), /^ci-aws: whole$/m);
  });

  it('gives the same report through the SSH transport, its remote commands run by a local shell', async () => {
    // What ssh would run on the node, with each private address swapped for its stand-in.
    const commands: string[] = [];
    const localShell: SshRunner = (args, stdin) => {
      commands.push(...args);
      let command = args[args.length - 1];
      for (const [from, to] of stands) {
        command = command.split(from).join(to).split(from.replace(':', '/')).join(to.replace(':', '/'));
      }
      return new Promise((resolve) => {
        const child = execFile('bash', ['-c', command], (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }));
        child.stdin!.end(stdin ?? '');
      });
    };
    const ssh = new SshTransport({ bastion: '203.0.113.7', runSsh: localShell });
    try {
      const [overSsh, direct] = await Promise.all([verifyCluster(topology, ssh, credentials), verifyCluster(topology, transport, credentials)]);
      assert.equal(overSsh.whole, true, formatReport(overSsh));
      const states = (r: VerifyReport) => r.checks.map((c) => [c.check, c.status, c.rows.map((row) => row.state).sort()]);
      assert.deepEqual(states(overSsh), states(direct));
      for (const secret of [TEST_MARATHON_PASSWORD, testMesosSecret('operator')]) {
        assert.ok(!commands.some((c) => c.includes(secret)), 'credentials reach curl on stdin, never a command line');
      }
      assert.equal(marathons[0].unauthorized, 0);
    } finally {
      await ssh.close();
    }
  });

  it("without credentials, Marathon's 401 fails the check and each row says none were given", async () => {
    const report = await verifyCluster(topology, transport);
    const marathon = check(report, 'marathon');
    assert.equal(marathon.status, 'fail');
    assert.deepEqual(new Set(marathon.rows.map((r) => r.state)), new Set(["HTTP 401: credentials required and none given (--credentials-file, or the cluster's secrets in the store)"]));
    assert.match(formatReport(report), /^ci-aws: NOT whole \(marathon\)$/m);
  });

  it('wrong credentials: each row names the user and where its credentials came from', async () => {
    const wrong = { ...credentials, marathon: { user: 'operator', password: 'notThePassword' }, source: 'creds.json' };
    const report = await verifyCluster(topology, transport, wrong);
    assert.deepEqual(new Set(check(report, 'marathon').rows.map((r) => r.state)), new Set(["HTTP 401: operator's credentials from creds.json refused"]));
    assert.doesNotMatch(formatReport(report) + reportJson(report), /notThePassword/);
  });

  it("masters that want credentials on read-only endpoints too are asked as the operator; a refusal is named", async () => {
    for (const m of masters) m.readonlyAuth = true;
    try {
      assert.equal((await verifyCluster(topology, transport, credentials)).whole, true);
      const report = await verifyCluster(topology, transport, { ...credentials, mesos: undefined });
      const result = check(report, 'mesos-masters');
      assert.equal(result.status, 'fail');
      assert.match(result.rows[0].state, /^HTTP 401: credentials required and none given/);
    } finally {
      for (const m of masters) m.readonlyAuth = false;
    }
  });

  it('runs pluggable checks after its own and counts them', async () => {
    const edge = async () => ({ check: 'edge', status: 'fail' as const, summary: 'edge does not answer', rows: [] });
    const report = await verifyCluster(topology, transport, credentials, [edge]);
    assert.equal(report.whole, false);
    assert.deepEqual(report.checks.map((c) => c.check), ['zookeeper', 'mesos-masters', 'agents', 'marathon', 'jenkins', 'edge']);
    assert.match(formatReport(report), /^ci-aws: NOT whole \(edge\)$/m);
  });

  it('a missing agent and a draining one: the pool is short, and the table says which', async () => {
    const leader = masters[1];
    const jenkins = leader.agents.filter((a) => a.pool === 'jenkins-masters');
    leader.agents = leader.agents.filter((a) => a !== jenkins[2]);
    jenkins[1].drain = { state: 'DRAINING', markGone: false };
    try {
      const report = await verifyCluster(topology, transport, credentials);
      assert.equal(report.whole, false);
      const row = check(report, 'agents').rows.find((r) => r.subject === 'jenkins-masters')!;
      assert.deepEqual([row.status, row.state], ['fail', '1/3 serving']);
      assert.equal(row.detail, `1 missing; draining: ${jenkins[1].hostname} (DRAINING)`);
      assert.equal(check(report, 'agents').rows.find((r) => r.subject === 'builds')!.status, 'ok');
      assert.match(formatReport(report), /^ci-aws: NOT whole \(agents\)$/m);
    } finally {
      leader.agents = fullAgents();
    }
  });

  it('a master quorum that has not recovered its log fails, though a leader is elected', async () => {
    masters[0].recovered = false;
    masters[2].recovered = false;
    try {
      const report = await verifyCluster(topology, transport, credentials);
      const result = check(report, 'mesos-masters');
      assert.equal(result.status, 'fail');
      assert.equal(result.summary, 'leader master-2; 1 of 3 logs recovered (quorum 2)');
    } finally {
      masters[0].recovered = masters[2].recovered = true;
    }
  });

  it('Marathon without a leader fails, and so do the agents and the Jenkins frameworks when no master leads', async () => {
    for (const m of marathons) m.leader = undefined;
    masters[1].elected = false;
    try {
      const report = await verifyCluster(topology, transport, credentials);
      assert.equal(check(report, 'marathon').summary, 'no leader');
      assert.deepEqual(check(report, 'marathon').rows.map((r) => r.state), ['no leader', 'no leader', 'no leader']);
      assert.equal(check(report, 'agents').summary, 'no single leading master to ask');
      assert.equal(check(report, 'jenkins').summary, 'no single leading master to ask');
      assert.match(formatReport(report), /^ci-aws: NOT whole \(mesos-masters, agents, marathon, jenkins\)$/m);
    } finally {
      masters[1].elected = true;
      for (const m of marathons) m.leader = `${topology.marathon.servers[2].privateIp}:${PORTS.marathonHttp}`;
    }
  });

  it('a ZooKeeper ensemble that lost its quorum: the survivor stops serving and the check fails', async () => {
    const { leader, followers } = await ensemble.waitForQuorum();
    await Promise.all([leader.kill(), followers[0].kill()]);
    // The survivor notices within moments; wait for that rather than race it.
    await poll('the survivor to stop serving', 30_000, 200, async () => {
      const mode = await followers[1].mode();
      return { done: mode === 'not serving', value: mode, describe: mode };
    });
    const report = await verifyCluster(topology, transport, credentials);
    const zookeeper = check(report, 'zookeeper');
    assert.equal(zookeeper.status, 'fail');
    assert.equal(zookeeper.summary, 'no leader: the ensemble has lost its quorum');
    const states = new Map(zookeeper.rows.map((r) => [r.subject, r.state]));
    assert.equal(states.get(followers[1].name), 'not serving');
    assert.equal(states.get(leader.name), 'no answer');
    assert.equal(report.whole, false);
  });
});
