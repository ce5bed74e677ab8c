/**
 * The roll's order and majority guard against a real ZooKeeper ensemble on loopback, built from
 * the rendered zookeeper role (test/support/zookeeper-ensemble.ts): the leader is found with the
 * `verify` ZooKeeper check (`srvr`), a "replacement" is a kill and a restart of the member, and
 * the roll waits for the ensemble to be whole again before the next member.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { renderServerUserData } from '../../lib/cloud-init';
import { majorityGuard, quorumHealth } from '../../lib/roll/majority-guard';
import { leadersFrom } from '../../lib/roll/live-leaders';
import { ClusterReport, executeRoll, RollActions } from '../../lib/roll/roll-executor';
import { planRoll } from '../../lib/roll/roll-plan';
import { checkZookeeper } from '../../lib/verify/zookeeper-check';
import { Transport } from '../../lib/verify/transport';
import { synthAws } from '../support/aws-synth';
import { fourLetterWord, LocalEnsemble } from '../support/zookeeper-ensemble';
import { probeZookeeperRuntime } from '../support/zookeeper-runtime';
import { ensembleTopology } from '../support/zookeeper-suite';
import { assertToolAvailable, gateOn } from '../support/tool-gate';

const probe = probeZookeeperRuntime();
const missing = probe.ok ? undefined : `ZooKeeper is not runnable here: ${probe.reason}`;
/** Deadlines, not expectations: JVMs on a loaded 2-core machine can take minutes. */
const START_TIMEOUT_MS = 240_000;
const TIMING = { readyTimeoutMs: 180_000, refreshTimeoutMs: 180_000, pollMs: 250 };

describe('roll against a real ZooKeeper ensemble on loopback', gateOn(missing), () => {
  const topology = ensembleTopology(3);
  const resources = synthAws(topology.cluster).json.resource;
  let ensemble: LocalEnsemble | undefined;
  let keep = false;

  /** The verify ZooKeeper check, its private addresses mapped to the nodes' loopback ones. */
  const transport: Transport = {
    fourLetterWord: (host, port, word) => fourLetterWord(ensemble!.nodes.find((n) => n.server.privateIp === host)!.loopback, port, word, 2_000),
    httpGet: async () => undefined,
    close: async () => {},
  };
  const checks = async (): Promise<ClusterReport> => {
    const zookeeper = await checkZookeeper(topology, transport);
    return { whole: zookeeper.status === 'ok', checks: [zookeeper] };
  };

  before(async () => {
    assertToolAvailable(missing);
    if (!probe.ok) return;
    ensemble = await LocalEnsemble.prepare({ runtime: probe.runtime, topology, render: renderServerUserData, workDir: mkdtempSync(join(tmpdir(), 'roll-zookeeper-')) });
    ensemble.startAll();
    await ensemble.waitForQuorum({ timeoutMs: START_TIMEOUT_MS });
  });

  after(async () => {
    if (keep && ensemble) console.error(await ensemble.report());
    await ensemble?.dispose(keep);
  });

  /** A replacement: the member is killed and started again on the same files (same myid, same data). */
  function replaceByRestart(events: string[]): RollActions {
    return {
      checks,
      drain: async () => {},
      replace: async (step) => {
        const node = ensemble!.node(step.server.name);
        // What the majority rests on: every member serves at the moment one is taken down.
        const serving = (await checks()).checks[0].rows.filter((r) => r.status === 'ok').length;
        events.push(`${step.server.name} (${serving} serving)`);
        await node.kill();
        node.start();
      },
      refresh: async () => {},
    };
  }

  it('rolls the followers first and the leader last, one at a time, each time waiting until the ensemble is whole', async () => {
    try {
      const before = await checks();
      const leaders = leadersFrom(before);
      assert.ok(leaders.zookeeper, `a leader: ${before.checks[0].summary}`);
      const plan = planRoll({ topology, resources, leaders, role: 'zookeeper' });
      const followers = topology.zookeeper.servers.map((s) => s.name).filter((n) => n !== leaders.zookeeper);
      assert.deepEqual(plan.steps.map((s) => s.kind === 'replace' && s.server.name), [...followers, leaders.zookeeper]);

      const events: string[] = [];
      const outcome = await executeRoll(topology, plan, replaceByRestart(events), () => {}, TIMING);
      assert.equal(outcome.stopped, undefined);
      assert.deepEqual(events, [...followers, leaders.zookeeper].map((n) => `${n} (3 serving)`));
      const afterRoll = await checks();
      assert.equal(afterRoll.whole, true, afterRoll.checks[0].summary);
    } catch (error) {
      keep = true;
      throw error;
    }
  });

  it('with a member already down, the guard refuses and the roll replaces nothing', async () => {
    try {
      await ensemble!.waitForQuorum({ timeoutMs: START_TIMEOUT_MS });
      const down = ensemble!.nodes[2];
      await down.kill();
      const report = await checks();
      const plan = planRoll({ topology, resources, leaders: leadersFrom(report), role: 'zookeeper' });
      const first = plan.steps[0];
      assert.ok(first.kind === 'replace');
      assert.match(majorityGuard(topology, first.server, quorumHealth(report.checks)) ?? '', new RegExp(`${down.name} already down, 2 needed`));

      const events: string[] = [];
      const outcome = await executeRoll(topology, plan, replaceByRestart(events), () => {}, TIMING);
      assert.deepEqual(events, []);
      assert.match(outcome.stopped ?? '', /^roll stopped before zookeeper-\d: the cluster is not whole \(zookeeper: /);
    } catch (error) {
      keep = true;
      throw error;
    }
  });
});
