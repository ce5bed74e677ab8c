/**
 * The rendered ZooKeeper ensemble under load: three servers on loopback from the rendered
 * zookeeper role (test/support/zookeeper-ensemble.ts), one client writing one znode at a time
 * and another opening and closing sessions, while the leader is SIGKILLed. The load runs on the
 * real ZooKeeper Java client (test/support/zookeeper-load/ZookeeperLoad.java), the one Marathon's
 * Curator wraps. Two settings are added for the run only, to make a short run show what a long one
 * would: snapCount (a snapshot every ~100-200 writes) and preAllocSize (1 MiB logs, not 64 MiB).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { renderServerUserData } from '../../lib/cloud-init';
import { PORTS } from '../../lib/model';
import { assertToolAvailable, gateOn } from '../support/tool-gate';
import { parseZooCfg } from '../support/zookeeper-cloud-config';
import { LocalEnsemble, ZookeeperNode } from '../support/zookeeper-ensemble';
import { jvmFlags, probeZookeeperRuntime, run } from '../support/zookeeper-runtime';
import { ensembleTopology } from '../support/zookeeper-suite';

const probe = probeZookeeperRuntime();
const missing = probe.ok ? undefined : `ZooKeeper is not runnable here: ${probe.reason}`;
const LOAD_PROGRAM = join(__dirname, '..', 'support', 'zookeeper-load', 'ZookeeperLoad.java');

/**
 * The writer's bounds: whichever comes first. The leader is killed once KILL_AFTER writes are
 * acknowledged. 1,500 writes leave over a thousand for after the failover, and with snapCount=200
 * about ten snapshots for the purge to bound; more only cost CPU (a loaded 2-core machine acknowledged
 * 3,371 in the 20 s).
 */
const WRITE_FOR_MS = 20_000;
const MAX_WRITES = 1_500;
const KILL_AFTER = 300;
const CHURN_EVERY_MS = 150;
const RUN_SETTINGS = ['snapCount=200', 'preAllocSize=1024'];

interface LoadRun {
  readonly acked: { n: number; started: number; acked: number }[];
  readonly failed: number;
  readonly lost: number[];
  readonly present: number;
  readonly sessions: { ok: number[]; fail: number[] };
  readonly killedAt: number;
}

/** Starts the load program and kills `leader` once KILL_AFTER writes are acknowledged. */
function loadWhileKilling(hosts: string, leader: ZookeeperNode, classpath: string, java: string): Promise<LoadRun> {
  const child = spawn(java, [...jvmFlags('96m'), '-cp', classpath, LOAD_PROGRAM, hosts, String(WRITE_FOR_MS), String(MAX_WRITES), String(CHURN_EVERY_MS)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acked: LoadRun['acked'] = [];
  const lost: number[] = [];
  const sessions = { ok: [] as number[], fail: [] as number[] };
  let failed = 0;
  let present = -1;
  let killedAt = 0;
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const [word, ...rest] = line.split(' ');
    if (word === 'ack') {
      const [n, started, at] = rest.map(Number);
      acked.push({ n, started, acked: at });
      if (acked.length === KILL_AFTER && killedAt === 0) {
        killedAt = Date.now();
        void leader.kill();
      }
    } else if (word === 'fail') failed += 1;
    else if (word === 'session') sessions[rest[0] as 'ok' | 'fail'].push(Number(rest[1]));
    else if (word === 'lost') lost.push(Number(rest[0]));
    else if (word === 'present') present = Number(rest[0]);
  });
  // Bounded: the writer stops by itself; the read-back after it gets a minute.
  const deadline = setTimeout(() => child.kill('SIGKILL'), WRITE_FOR_MS + 90_000);
  return new Promise((resolve, reject) => {
    child.on('close', (code) => {
      clearTimeout(deadline);
      if (code !== 0 || present < 0) reject(new Error(`the load program ended with ${code} after ${acked.length} acks: ${stderr}`));
      else resolve({ acked, failed, lost, present, sessions, killedAt });
    });
  });
}

/**
 * The figures for the report. Failover: the longest stretch without an acknowledged write from
 * the kill on (the writer notices the loss, reconnects and retries inside it).
 */
function describeRun(run: LoadRun, leader: ZookeeperNode): string {
  const acks = run.acked.map((a) => a.acked).filter((at) => at >= run.killedAt - 1_000);
  const gaps = acks.slice(1).map((at, i) => ({ from: acks[i], ms: at - acks[i] }));
  const longest = gaps.reduce((a, b) => (b.ms > a.ms ? b : a), { from: 0, ms: 0 });
  const span = (run.acked[run.acked.length - 1].acked - run.acked[0].started) / 1000;
  return (
    `${run.acked.length} writes acknowledged in ${span.toFixed(1)} s, ${run.failed} refused (connection loss), ${run.lost.length} acknowledged writes lost; ` +
    `leader ${leader.name} SIGKILLed after ${KILL_AFTER} acks; no write acknowledged for ${longest.ms} ms, from ${longest.from - run.killedAt} ms after the kill; ` +
    `sessions opened and closed ${run.sessions.ok.length}, failed to open ${run.sessions.fail.length}`
  );
}

function countFiles(dataDir: string): { snapshots: number; logs: number } {
  const files = readdirSync(join(dataDir, 'version-2'));
  return { snapshots: files.filter((f) => f.startsWith('snapshot.')).length, logs: files.filter((f) => f.startsWith('log.')).length };
}

describe('the rendered ZooKeeper ensemble under load, its leader killed', gateOn(missing), () => {
  let ensemble: LocalEnsemble | undefined;
  let result: LoadRun;
  let leader: ZookeeperNode;
  let keep = false;

  before(async () => {
    assertToolAvailable(missing);
    if (!probe.ok) return;
    ensemble = await LocalEnsemble.prepare({ runtime: probe.runtime, topology: ensembleTopology(3), render: renderServerUserData, workDir: mkdtempSync(join(tmpdir(), 'zookeeper-load-')) });
    for (const node of ensemble.nodes) writeFileSync(node.configFile, `${readFileSync(node.configFile, 'utf8')}\n${RUN_SETTINGS.join('\n')}\n`);
    ensemble.startAll();
    leader = (await ensemble.waitForQuorum({ members: ensemble.nodes, timeoutMs: 240_000 })).leader;
    const hosts = ensemble.nodes.map((n) => `${n.loopback}:${PORTS.zookeeperClient}`).join(',');
    try {
      result = await loadWhileKilling(hosts, leader, probe.runtime.classpath, probe.runtime.java);
    } catch (error) {
      keep = true;
      console.error(await ensemble.report());
      throw error;
    }
    console.log(`# ${describeRun(result, leader)}`);
  });

  after(async () => {
    await ensemble?.dispose(keep);
  });

  it('loses no acknowledged write: every znode the ensemble confirmed is there after the failover', () => {
    assert.ok(result.acked.length > KILL_AFTER, `only ${result.acked.length} writes acknowledged`);
    assert.deepEqual(result.lost, []);
    assert.ok(result.present >= result.acked.length, `${result.present} znodes for ${result.acked.length} acknowledged writes`);
  });

  it('takes writes again after the leader is killed, from a new leader', async () => {
    assert.ok(result.killedAt > 0, 'the leader was killed');
    assert.ok(result.acked.some((a) => a.started >= result.killedAt), 'a write started after the kill was acknowledged');
    const survivors = ensemble!.nodes.filter((n) => n !== leader);
    const now = await ensemble!.waitForQuorum({ members: survivors, timeoutMs: 60_000 });
    assert.notEqual(now.leader, leader);
  });

  it('keeps opening sessions after the failover (session churn)', () => {
    assert.ok(result.sessions.ok.some((at) => at > result.killedAt), `sessions after the kill: ${result.sessions.ok.filter((at) => at > result.killedAt).length}`);
  });

  it('renders autopurge (keep 3 snapshots, purge every 24 h), and that purge bounds what the load left', async () => {
    const node = ensemble!.nodes.find((n) => n !== leader)!;
    const rendered = node.rendered.properties;
    assert.equal(rendered.get('autopurge.snapRetainCount'), '3');
    assert.equal(rendered.get('autopurge.purgeInterval'), '24');
    const dataDir = parseZooCfg(readFileSync(node.configFile, 'utf8')).get('dataDir')!;
    const before = countFiles(dataDir);
    // purgeInterval counts hours, so the timer cannot fire in a test: run what it runs (PurgeTxnLog, with the rendered count).
    const purge = await run(probe.ok ? probe.runtime.java : 'java', [...jvmFlags('64m'), '-cp', probe.ok ? probe.runtime.classpath : '', 'org.apache.zookeeper.server.PurgeTxnLog', dataDir, dataDir, '-n', rendered.get('autopurge.snapRetainCount')!], 120_000);
    assert.equal(purge.code, 0, purge.stderr);
    const purged = countFiles(dataDir);
    console.log(`# ${node.name}: ${before.snapshots} snapshots and ${before.logs} logs after the load, ${purged.snapshots} and ${purged.logs} after the purge`);
    assert.ok(before.snapshots > 3, `the load left only ${before.snapshots} snapshots: nothing for the purge to bound`);
    assert.equal(purged.snapshots, 3);
    assert.ok(purged.logs <= before.logs && purged.logs <= 4, `${purged.logs} logs kept`);
  });
});
