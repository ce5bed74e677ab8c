/**
 * Test harness: the ensemble scenarios, as node:test suites over a renderer. The test file
 * runs them on the real renderer; keeping them here lets the harness be exercised against
 * hand-written user data too.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, TestContext } from 'node:test';
import { CLOUD_RULES } from '../../lib/cli/cloud-registry';
import { buildTopology, Cloud, ClusterTopology, parseClusterFile, PORTS } from '../../lib/model';
import { LocalEnsemble, Render, sleep, ZookeeperNode } from './zookeeper-ensemble';
import { ZookeeperRuntime } from './zookeeper-runtime';
import { authAs, expectedAcl, parseGetAcl, refusals, refused, renderedOwners, renderedRootAcl } from './zookeeper-acl';
import { referenceAcl, referencePersistentZnodes } from './znode-acl-reference';

/** A 3-zone cluster file with `count` ZooKeeper servers, on AWS or OpenStack. */
export function clusterYaml(count: number, cloud: Cloud = 'aws'): string {
  const onCloud =
    cloud === 'aws'
      ? { settings: 'aws:\n  region: eu-west-1\n  certificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b', image: 'ami-0123456789abcdef0', zones: 'eu-west-1a, eu-west-1b, eu-west-1c', size: '' }
      : { settings: 'openstack:\n  externalNetwork: public', image: 'debian-12-mesos-cluster', zones: 'az1, az2, az3', size: '\n  size: m1.medium' };
  return `
name: ${ensembleName(count, cloud)}
cloud: ${cloud}
${onCloud.settings}
image: ${onCloud.image}
sshKey:
  name: ensemble-admin
network:
  cidr: 10.42.0.0/16
  zones: [${onCloud.zones}]
  adminCidrs: [198.51.100.0/24]
zookeeper:
  count: ${count}${onCloud.size}
${cloud === 'aws' ? '' : 'masters: { size: m1.large }\nmarathon: { size: m1.large }\nbastion: { size: m1.small }\n'}`;
}

function ensembleName(count: number, cloud: Cloud): string {
  return cloud === 'aws' ? `zk-ensemble-${count}` : `zk-ensemble-${cloud}-${count}`;
}

export function ensembleTopology(count: number, cloud: Cloud = 'aws'): ClusterTopology {
  return buildTopology(parseClusterFile(`${ensembleName(count, cloud)}.yaml`, clusterYaml(count, cloud), CLOUD_RULES));
}

export interface SuiteOptions {
  readonly count: 3 | 5;
  readonly render: Render;
  readonly runtime: ZookeeperRuntime;
  /**
   * Everything (quorum loss and recovery) or the lean set: quorum, write/read across,
   * leader failover.
   */
  readonly full: boolean;
  /** The cloud of the cluster file the documents are rendered from. @default "aws" */
  readonly cloud?: Cloud;
}

/**
 * Deadlines, not expectations: election on loopback normally takes well under a second, but five
 * JVMs starting on a loaded 2-core machine can take minutes. Each wait polls its condition and
 * returns as soon as it holds; no test asserts how long anything took.
 */
const START_TIMEOUT_MS = 240_000;
const FAILOVER_TIMEOUT_MS = 120_000;
/** A ZooKeeper CLI session: one JVM start, then a few requests. */
const CLI_TIMEOUT_MS = 120_000;
const STEP_TIMEOUT_MS = 600_000;

export function defineEnsembleSuite({ count, render, runtime, full, cloud = 'aws' }: SuiteOptions): void {
  describe(`${count}-node ensemble from the rendered zookeeper role${cloud === 'aws' ? '' : ` (${cloud})`}`, () => {
    const topology = ensembleTopology(count, cloud);
    let ensemble: LocalEnsemble | undefined;
    /** A failed step skips the steps after it (they build on its state)... */
    let failed = false;
    /** ...and any failure keeps the work dir (logs, laid-out files) for a look. */
    let keep = false;

    /** A scenario step: runs in order, prints the ensemble's logs when it fails, skipped after a failure. */
    const step = (name: string, body: (e: LocalEnsemble, t: TestContext) => Promise<void>, independent = false) =>
      it(name, { timeout: STEP_TIMEOUT_MS }, async (t) => {
        if (failed) return t.skip('an earlier step of this ensemble failed');
        if (!ensemble) throw new Error('the ensemble was not prepared');
        try {
          await body(ensemble, t);
        } catch (error) {
          keep = true;
          failed ||= !independent;
          console.error(independent ? `\nZooKeeper ensemble work dir: ${ensemble.workDir}\n` : `\n${await ensemble.report()}\n`);
          throw error;
        }
      });

    before(async () => {
      const workDir = mkdtempSync(join(tmpdir(), `zookeeper-${count}-`));
      ensemble = await LocalEnsemble.prepare({ runtime, topology, render, workDir, archiveCliClasses: true });
    });

    after(async () => {
      await ensemble?.dispose(keep);
    });

    step('renders zoo.cfg and myid as the contract says, for every server', async (e) => {
      assert.equal(e.nodes.length, count);
      for (const node of e.nodes) checkContract(node, topology);
    }, true);

    let data = '';
    step(`elects one leader and ${count - 1} followers`, async (e, t) => {
      t.diagnostic(`addresses: ${e.nodes.map((n) => `${n.name} ${n.server.privateIp} → ${n.loopback}`).join(', ')}`);
      t.diagnostic(`zoo.cfg rewrites (${e.nodes[0].name}): ${e.nodes[0].rewrites.join('; ')}`);
      e.startAll();
      const { leader, followers, elapsedMs } = await e.waitForQuorum({ members: e.nodes, timeoutMs: START_TIMEOUT_MS });
      t.diagnostic(`leader ${leader.name}, followers ${followers.map((n) => n.name).join(', ')} after ${elapsedMs} ms`);
      assert.equal(followers.length, count - 1);
      for (const node of e.nodes) {
        const ruok = await node.fourLetterWord('ruok');
        assert.equal(ruok, 'imok', `${node.name} answers ruok: ${JSON.stringify(ruok)}`);
        const mntr = await node.fourLetterWord('mntr');
        assert.match(mntr, /^zk_server_state\s+(leader|follower)$/m, `${node.name} answers mntr: ${JSON.stringify(mntr.slice(0, 200))}`);
        // stat lists the clients' addresses, conf the ensemble's configuration: every agent reaches this port.
        for (const word of ['stat', 'conf', 'cons', 'envi']) {
          const answer = await node.fourLetterWord(word);
          assert.match(answer, /is not executed because it is not in the whitelist/, `${node.name} must refuse ${word}: ${JSON.stringify(answer.slice(0, 200))}`);
        }
      }
    });

    step('a write through one node reads back through every other', async (e) => {
      const { leader, followers } = await e.waitForQuorum();
      const writer = followers[0];
      data = `written-through-${writer.name}`;
      await e.write(writer, '/ensemble-test', data);
      for (const reader of [leader, ...followers.slice(1)]) {
        assert.equal(await e.readUntil(reader, '/ensemble-test', data), data, `read through ${reader.name}`);
      }
    });

    step('elects a new leader when the leader is killed; data intact', async (e, t) => {
      const before = await e.waitForQuorum();
      await before.leader.kill();
      const after = await e.waitForQuorum({ members: before.followers, timeoutMs: FAILOVER_TIMEOUT_MS });
      t.diagnostic(`killed leader ${before.leader.name}; new leader ${after.leader.name} after ${after.elapsedMs} ms`);
      assert.notEqual(after.leader, before.leader);
      assert.equal(await e.readUntil(after.followers[0], '/ensemble-test', data), data);
      await e.write(after.leader, '/after-failover', 'still-writable');
      assert.equal(await e.readUntil(after.followers[after.followers.length - 1], '/after-failover', 'still-writable'), 'still-writable');
    });

    if (!full) return;

    step('refuses service when two of three are down', async (e, t) => {
      const { followers } = await e.waitForQuorum();
      assert.equal(e.running.length, 2, 'two servers left after the leader was killed');
      const [victim, survivor] = [followers[0], e.running.find((n) => n !== followers[0]) as ZookeeperNode];
      await victim.kill();
      await waitForMode(survivor, 'not serving', FAILOVER_TIMEOUT_MS);
      const srvr = await survivor.fourLetterWord('srvr');
      t.diagnostic(`${survivor.name} alone: ${srvr.trim()}`);
      assert.match(srvr, /This ZooKeeper instance is not currently serving requests/);
      const read = await e.read(survivor, '/ensemble-test');
      assert.equal(read.ok, false, `a read through the lone ${survivor.name} must fail, got ${JSON.stringify(read)}`);
    });

    step('recovers with the data once the killed servers are restarted', async (e, t) => {
      const restarted = e.nodes.filter((n) => !n.running);
      for (const node of restarted) node.start();
      const { leader, elapsedMs } = await e.waitForQuorum({ members: e.nodes, timeoutMs: START_TIMEOUT_MS });
      t.diagnostic(`restarted ${restarted.map((n) => n.name).join(', ')}; leader ${leader.name} after ${elapsedMs} ms`);
      for (const node of restarted) {
        assert.equal(await e.readUntil(node, '/ensemble-test', data), data, `read through restarted ${node.name}`);
        assert.equal(await e.readUntil(node, '/after-failover', 'still-writable'), 'still-writable');
      }
      await e.write(restarted[0], '/after-recovery', 'recovered');
      assert.equal(await e.readUntil(leader === restarted[0] ? restarted[1] : leader, '/after-recovery', 'recovered'), 'recovered');
    });

    defineAclSteps(step, topology, render);
  });
}

type Step = (name: string, body: (e: LocalEnsemble, t: TestContext) => Promise<void>, independent?: boolean) => void;

/**
 * ZooKeeper ACLs with the rendered authentication settings: the owners (a master's --zk file, a
 * Marathon server's MARATHON_ZK) create their znodes with the ACLs Mesos and Marathon set (as recorded from
 * their sources in reference/zookeeper/znode-acls.json); an
 * agent (its --master URL carries no credentials) and the other owner then try to change them.
 */
function defineAclSteps(step: Step, topology: ClusterTopology, render: Render): void {
  const [mesos, marathon] = renderedOwners(topology, render);

  step('the owners create /mesos and /marathon with the ACLs Mesos 1.11 and Marathon 1.10 set (reference/zookeeper/znode-acls.json), from the rendered credentials', async (e) => {
    const { leader } = await e.waitForQuorum();
    for (const [creator, owner] of [['mesos', mesos], ['marathon', marathon]] as const) {
      // What the upstream source sets, not the project's ZNODE_OWNERSHIP (test/model/zookeeper-acls.test.ts holds that to the same record).
      const znodes = referencePersistentZnodes(creator).map((relative) => ({ path: `${owner.path}${relative}`, acl: referenceAcl(creator, relative) }));
      assert.deepEqual(znodes.map((z) => z.path), [owner.ownership, ...owner.ownership.children].map((z) => z.path), 'the znodes the rendered path leads to');
      const creates = znodes.map((z) => `create ${z.path} ${owner.user}-data ${z.acl.join(',')}`);
      const created = await e.cli(leader, [], CLI_TIMEOUT_MS, [authAs(owner), ...creates]);
      const said = created.stdout + created.stderr;
      for (const z of znodes) assert.match(said, new RegExp(`^Created ${z.path}$`, 'm'), `${owner.user}: ${said}`);
      for (const z of znodes) {
        const acl = await e.cli(leader, [], CLI_TIMEOUT_MS, [authAs(owner), `getAcl ${z.path}`]);
        assert.deepEqual(parseGetAcl(acl.stdout + acl.stderr), expectedAcl(owner, z.acl), z.path);
      }
    }
  }, true);

  step("the first ZooKeeper server protects the root: only the quorum servers' own addresses (/32) create, delete or change top-level znodes", async (e) => {
    const { leader, followers } = await e.waitForQuorum();
    const acl = renderedRootAcl(render(topology, leader.name));
    const entries = acl.split(',');
    assert.deepEqual(entries, ['world:anyone:r', ...topology.servers.map((s) => `ip:${s.privateIp}/32:cdrwa`)]);
    // The test's client connects from 127.0.0.1 (the kernel's source for every loopback
    // address). Mapped onto loopback, that client first plays the first quorum server, then a
    // neighbour one address away from it, as an agent in the same subnet would be.
    const first = `ip:${topology.servers[0].privateIp}/32:cdrwa`;
    const as = (address: string) => entries.map((entry) => (entry === first ? `ip:${address}/32:cdrwa` : entry)).join(',');
    const asServer = await e.cli(leader, ['setAcl', '/', as('127.0.0.1')]);
    assert.ok(!refused(asServer) && !/Exception|Invalid/.test(asServer.stdout + asServer.stderr), asServer.stdout + asServer.stderr);
    for (const command of [['create', '/by-a-quorum-server', 'x'], ['delete', '/by-a-quorum-server']]) {
      const result = await e.cli(followers[0], command);
      assert.ok(!refused(result), `${command.join(' ')} from the quorum server's own address: ${result.stdout + result.stderr}`);
    }
    const neighbour = as('127.0.0.2');
    assert.ok(!refused(await e.cli(leader, ['setAcl', '/', neighbour])));
    const shown = await e.cli(followers[0], ['getAcl', '/']);
    assert.deepEqual(parseGetAcl(shown.stdout + shown.stderr), neighbour.split(',').sort());
    await assertEachRefused(e, followers[0], ['setAcl / world:anyone:cdrwa', 'create /intruder x', 'delete /mesos', 'delete /marathon'], 'from a neighbour of a quorum server');
  }, true);

  step("a client without credentials reads the masters' znodes, as agents find the leader, but cannot change, delete or add to them", async (e) => {
    const { followers } = await e.waitForQuorum();
    const node = followers[0];
    assert.equal(mesos.path, '/mesos');
    const read = await e.read(node, '/mesos');
    assert.deepEqual(read, { ok: true, data: 'mesos-data' });
    await assertEachRefused(e, node, ['set /mesos x', 'delete /mesos/log_replicas', 'create /mesos/intruder x', 'setAcl /mesos world:anyone:cdrwa', 'set /mesos/log_replicas x'], 'without credentials');
    assert.deepEqual(await e.read(node, '/mesos'), { ok: true, data: 'mesos-data' });
    assert.deepEqual(await e.read(node, '/mesos/log_replicas'), { ok: true, data: 'mesos-data' });
  }, true);

  step("a client without credentials can neither read nor change Marathon's state; only its leader latch is readable", async (e) => {
    const { followers } = await e.waitForQuorum();
    const node = followers[followers.length - 1];
    await assertEachRefused(e, node, ['get /marathon/state', 'set /marathon x', 'delete /marathon/state', 'delete /marathon/leader-curator', 'create /marathon/intruder x'], 'without credentials');
    assert.deepEqual(await e.read(node, '/marathon/leader-curator'), { ok: true, data: 'marathon-data' });
  }, true);

  step("one owner cannot change the other's znodes; each still changes its own", async (e) => {
    const { leader } = await e.waitForQuorum();
    await assertEachRefused(e, leader, ['delete /marathon/leader-curator', 'set /marathon/state x'], 'as mesos', [authAs(mesos)]);
    const own = await e.cli(leader, [], CLI_TIMEOUT_MS, [authAs(mesos), 'set /mesos changed-by-owner']);
    assert.ok(!refused(own), own.stdout + own.stderr);
    assert.deepEqual(await e.read(leader, '/mesos'), { ok: true, data: 'changed-by-owner' });
  }, true);
}

/**
 * Runs `commands` through `node` in one CLI session (one JVM start, not one per command; the CLI
 * goes on after a refusal), after `session` lines such as an addauth, and asserts that every one
 * was refused: the CLI prints one `Insufficient permission` line per refused command, and a
 * command that got through prints none.
 */
async function assertEachRefused(e: LocalEnsemble, node: ZookeeperNode, commands: readonly string[], who: string, session: readonly string[] = []): Promise<void> {
  const result = await e.cli(node, [], CLI_TIMEOUT_MS, [...session, ...commands]);
  assert.equal(refusals(result), commands.length, `each of ${commands.join('; ')} ${who} must be refused: ${result.stdout + result.stderr}`);
}

/** The renderer's contract for one ZooKeeper server (see lib/cloud-init/index.ts). */
function checkContract(node: ZookeeperNode, topology: ClusterTopology): void {
  const { zooCfg, myid, properties: cfg } = node.rendered;
  const where = `${node.name} ${zooCfg.path}`;
  assert.equal(cfg.get('dataDir'), '/var/lib/zookeeper', `${where}: dataDir`);
  assert.equal(cfg.get('clientPort'), String(PORTS.zookeeperClient), `${where}: clientPort`);
  const servers = [...cfg.keys()].filter((k) => /^server\.\d+$/.test(k)).sort();
  const expected = topology.zookeeper.servers.map((s) => `server.${s.zookeeperId}`).sort();
  assert.deepEqual(servers, expected, `${where}: one server.N line per ZooKeeper server`);
  for (const server of topology.zookeeper.servers) {
    const line = cfg.get(`server.${server.zookeeperId}`) ?? '';
    const quorum = `${server.privateIp}:${PORTS.zookeeperPeer}:${PORTS.zookeeperElection}`;
    assert.ok(line === quorum || line.startsWith(`${quorum}:`) || line.startsWith(`${quorum};`), `${where}: server.${server.zookeeperId}=${line}, want ${quorum}`);
  }
  assert.ok(Number(cfg.get('autopurge.purgeInterval')) >= 1, `${where}: autopurge.purgeInterval=${cfg.get('autopurge.purgeInterval')}`);
  assert.ok(Number(cfg.get('autopurge.snapRetainCount')) >= 3, `${where}: autopurge.snapRetainCount=${cfg.get('autopurge.snapRetainCount')}`);
  const whitelist = (cfg.get('4lw.commands.whitelist') ?? '').split(',').map((w) => w.trim());
  assert.deepEqual([...whitelist].sort(), ['mntr', 'ruok', 'srvr'], `${where}: 4lw.commands.whitelist=${whitelist.join(',')}: only what health checks and verify ask`);
  assert.equal(cfg.get('admin.enableServer'), 'false', `${where}: the AdminServer would take 8080 from Marathon`);
  assert.equal(myid.path, `${cfg.get('dataDir')}/myid`, `${node.name}: myid inside dataDir`);
  assert.equal(myid.content.toString('utf8').trim(), String(node.server.zookeeperId), `${node.name}: myid content`);
}

async function waitForMode(node: ZookeeperNode, mode: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = '';
  for (let i = 0; i < 100 && Date.now() < deadline; i += 1) {
    seen = await node.mode();
    if (seen === mode) return;
    await sleep(250);
  }
  assert.fail(`${node.name} did not become "${mode}" within ${timeoutMs} ms; last mode: ${seen}`);
}
