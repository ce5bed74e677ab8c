/**
 * `npm run roll` on real Terraform state: the example cluster applied to moto (a copy of the
 * apply the emulator files share), cut down to the quorum servers rolled here (rollStack), then
 * its image changed in the cluster file. Nothing boots on moto, so the cluster's readiness (the
 * `verify` checks) is a stand-in the test controls; Terraform, its AWS provider (one process the
 * commands attach to: test/support/reattached-provider.ts) and the state are real.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { motoUnavailable } from '../../lib/emulator/moto-server';
import { buildTopology, ClusterTopology } from '../../lib/model';
import { ClusterReport } from '../../lib/roll/roll-executor';
import { rollCommand } from '../../lib/cli/roll-command';
import { CheckResult } from '../../lib/verify/check-result';
import { exampleCluster } from '../support/aws-synth';
import { EmulatedCluster, StateResource } from '../support/emulated-cluster';
import { offlineTerraformUnavailable } from '../support/offline-terraform';
import { assertToolAvailable, gateOn } from '../support/tool-gate';
import { EmulatorWorkspace } from '../../lib/emulator/moto-workspace';
import { MOTO_IMAGE } from '../../lib/emulator/moto-quirks';
import { cutDownStack } from '../support/cut-down-stack';
import { cutStateToStack } from '../support/state-cut-to-stack';
import { ReattachedProvider, startReattachedProvider } from '../support/reattached-provider';
import { terraformOrThrow } from '../../lib/plan/terraform-run';

// The gate reads moto's package metadata; the moto this file starts proves it imports.
const missing = offlineTerraformUnavailable() ?? motoUnavailable();

/** Another image moto ships for us-east-1 (its latest_amis list): the "new base image". */
const NEW_IMAGE = 'ami-01f446d4eeaed8a3c';

type Servers = Map<string, { id: string; ip: string; ami: string }>;

/** A line of `terraform plan -json` (Terraform's machine-readable UI), as far as the attachments claim reads it. */
interface PlanStreamMessage {
  readonly type: string;
  readonly change?: { readonly resource: { readonly addr: string }; readonly action: string };
}

/** Instance id and private address of every server, by Name tag without the cluster prefix. */
function servers(state: readonly StateResource[]): Servers {
  return new Map(
    state.filter((r) => r.type === 'aws_instance').map((r) => [String(r.values.tags.Name).replace(/^ci-aws-/, ''), { id: r.values.id, ip: r.values.private_ip, ami: r.values.ami }]),
  );
}

/**
 * The same from the workspace's state file, read directly: a snapshot at every check of the roll
 * must not cost a `terraform show` (half a minute on a loaded machine).
 */
function serversInStateFile(dir: string): Servers {
  const state = JSON.parse(readFileSync(join(dir, 'terraform.tfstate'), 'utf8'));
  const instances = (state.resources as any[]).filter((r) => r.mode === 'managed' && r.type === 'aws_instance').flatMap((r) => r.instances as any[]);
  return new Map(instances.map((i) => [String(i.attributes.tags.Name).replace(/^ci-aws-/, ''), { id: i.attributes.id, ip: i.attributes.private_ip, ami: i.attributes.ami }]));
}

/** The verify checks as a whole cluster reports them, with `leaders` leading and `down` failing. */
function report(topology: ClusterTopology, leaders: readonly string[], down: readonly string[]): ClusterReport {
  const check = (name: string, members: readonly { name: string }[]): CheckResult => {
    const rows = members.map((m) => ({
      subject: m.name,
      status: down.includes(m.name) ? ('fail' as const) : ('ok' as const),
      state: down.includes(m.name) ? 'no answer' : leaders.includes(m.name) ? (name === 'zookeeper' ? 'leader' : 'leader, log recovered') : 'follower',
    }));
    return { check: name, status: rows.some((r) => r.status === 'fail') ? 'fail' : 'ok', summary: down.length > 0 ? `${down.join(', ')} not serving` : 'ok', rows };
  };
  const checks = [check('zookeeper', topology.zookeeper.servers), check('mesos-masters', topology.mesos.masters), check('marathon', topology.marathon.servers)];
  return { whole: checks.every((c) => c.status === 'ok'), checks };
}

/**
 * The roll's stack cut down (test/support/cut-down-stack.ts) to the servers of the roles rolled
 * here, ZooKeeper and the masters, what reads their ids (the masters' target group attachments)
 * and what they refer to: 20 resources of the example's 147. The claims are about order,
 * addresses, the majority guard and the readiness stop; every Terraform command then plans fewer
 * resources. Chosen here from the stack itself, not from lib/roll's -target set, which test 5
 * checks.
 */
function rollStack(full: string): string {
  const config = JSON.parse(readFileSync(join(full, 'cdk.tf.json'), 'utf8'));
  const instances = Object.entries(config.resource.aws_instance as Record<string, any>).filter(([, b]) => ['zookeeper', 'mesos-master'].includes(b.tags?.role)).map(([n]) => n);
  const reads = (block: unknown) => instances.some((n) => JSON.stringify(block).includes(`aws_instance.${n}.`));
  return cutDownStack(full, (type, name, block) => (type === 'aws_instance' && instances.includes(name)) || reads(block));
}

describe('npm run roll on the emulator (moto): a new image', gateOn(missing), () => {
  let cluster: EmulatedCluster;
  let workspace: EmulatorWorkspace;
  let stackDir: string;
  let applied: Servers;
  const topology = buildTopology(exampleCluster({ image: NEW_IMAGE }));
  const lines: string[] = [];

  let provider: ReattachedProvider | undefined;

  before(async () => {
    assertToolAvailable(missing);
    // A copy of the example as applied once for every emulator file, cut down with its stack; the
    // provider finds moto through its environment (an `endpoints` block costs it 3 CPU-s a plan or apply).
    cluster = await EmulatedCluster.applied({ endpointsFromEnvironment: true });
    stackDir = rollStack(EmulatedCluster.synth({ image: NEW_IMAGE }));
    workspace = cluster.workspaceWith(stackDir);
    cutStateToStack(workspace.dir);
    applied = servers(await cluster.state());
    // What the claims below need is in the cut: every server of the two roles rolled, and what reads a master's id.
    assert.deepEqual([...applied.keys()].sort(), ['master-1', 'master-2', 'master-3', 'zookeeper-1', 'zookeeper-2', 'zookeeper-3']);
    assert.equal(Object.keys(JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')).resource.aws_lb_target_group_attachment ?? {}).length, 3);
    provider = await startReattachedProvider(workspace.dir, workspace.env);
    // Every Terraform command on this workspace (the roll's and the cluster's plan, which copies it) attaches to that one provider.
    Object.assign(workspace.env, provider.env);
  });

  after(async () => {
    await provider?.stop();
    await cluster?.stop();
  });

  /** `npm run roll` as the entry runs it, with the cluster's checks standing in and a snapshot of the state at each check. */
  async function roll(role: string, cluster: { report(): Promise<ClusterReport> }, planOnly = false): Promise<number> {
    return rollCommand({
      topology,
      workspace,
      role,
      planOnly,
      cluster,
      drain: async () => {},
      refreshApi: () => {
        throw new Error('no instance refresh in this test');
      },
      timing: { readyTimeoutMs: 2_000, refreshTimeoutMs: 2_000, pollMs: 100 },
      out: (line) => lines.push(line),
    });
  }

  it('--plan reads the state and lists every server on the old image, one line each, in roll order; changes nothing', async () => {
    lines.length = 0;
    const started = Date.now();
    assert.equal(await roll('zookeeper', { report: async () => report(topology, [], []) }, true), 0);
    // Reported, not asserted: the time of --plan on the emulator's state.
    process.stdout.write(`# --plan on the emulator's state: ${Date.now() - started} ms\n`);
    assert.deepEqual(lines, [
      `1. zookeeper-1: replace aws_instance.zookeeper-1_instance - ami ${MOTO_IMAGE} -> ${NEW_IMAGE}`,
      `2. zookeeper-2: replace aws_instance.zookeeper-2_instance - ami ${MOTO_IMAGE} -> ${NEW_IMAGE}`,
      `3. zookeeper-3: replace aws_instance.zookeeper-3_instance - ami ${MOTO_IMAGE} -> ${NEW_IMAGE}`,
    ]);
    assert.deepEqual(servers(await cluster.state()), applied);
  });

  it('--role zookeeper: one server per step, followers before the leader, each back at its address; nothing else touched', async () => {
    const snapshots: Servers[] = [];
    const live = {
      report: async () => {
        snapshots.push(serversInStateFile(workspace.dir));
        return report(topology, ['zookeeper-2'], []);
      },
    };
    assert.equal(await roll('zookeeper', live), 0);
    // The order the state changed in: between two consecutive checks, at most one server is new.
    const replacedInOrder: string[] = [];
    for (let i = 1; i < snapshots.length; i += 1) {
      const changed = [...snapshots[i]].filter(([name, s]) => snapshots[i - 1].get(name)?.id !== s.id).map(([name]) => name);
      assert.ok(changed.length <= 1, `${changed.join(', ')} replaced between two checks`);
      replacedInOrder.push(...changed);
    }
    assert.deepEqual(replacedInOrder, ['zookeeper-1', 'zookeeper-3', 'zookeeper-2']);
    const now = servers(await cluster.state());
    for (const [name, before] of applied) {
      const after = now.get(name)!;
      assert.equal(after.ip, before.ip, `${name} keeps its address`);
      if (name.startsWith('zookeeper-')) assert.deepEqual([after.id !== before.id, after.ami], [true, NEW_IMAGE], name);
      else assert.equal(after.id, before.id, `${name} untouched`);
    }
  });

  it('a rerun finds ZooKeeper current and replaces nothing (resumable)', async () => {
    lines.length = 0;
    const before = servers(await cluster.state());
    assert.equal(await roll('zookeeper', { report: async () => report(topology, ['zookeeper-2'], []) }), 0);
    assert.match(lines.join('\n'), /roll done: 0 step\(s\), 3 server\(s\) already current/);
    assert.deepEqual(servers(await cluster.state()), before);
  });

  it('a failing readiness check stops the roll at that server, the servers after it untouched', async () => {
    const before = servers(await cluster.state());
    let replaced = false;
    const live = {
      report: async () => {
        // master-2 (a non-leader, so the first step) never comes back once replaced.
        replaced ||= serversInStateFile(workspace.dir).get('master-2')!.id !== before.get('master-2')!.id;
        return report(topology, ['master-1'], replaced ? ['master-2'] : []);
      },
    };
    await assert.rejects(roll('masters', live), (error: Error & { exitCode?: number }) => {
      assert.equal(error.exitCode, 1);
      assert.match(error.message, /^roll stopped at master-2: it was replaced but the cluster was not whole again within 2 s \(mesos-masters: master-2 not serving\); servers after it are untouched/);
      return true;
    });
    const now = servers(await cluster.state());
    assert.notEqual(now.get('master-2')!.id, before.get('master-2')!.id);
    assert.equal(now.get('master-2')!.ip, before.get('master-2')!.ip);
    for (const [name, server] of before) if (name !== 'master-2') assert.equal(now.get(name)!.id, server.id, `${name} untouched`);
  });

  it('after the replacements a plan changes no attachment: the -target set held what reads the replaced ids', async () => {
    // Terraform's machine-readable plan stream names every resource it would change (a
    // `planned_change` each): enough to say which, without the plan file's `show -json`, a second
    // Terraform start (docs/test-lanes.md).
    const stream = (await terraformOrThrow(workspace, ['plan', '-input=false', '-no-color', '-json', '-refresh=false'])).split('\n').map((line) => JSON.parse(line) as PlanStreamMessage);
    assert.ok(stream.some((m) => m.type === 'change_summary'), 'the plan finished and summed up its changes');
    const changed = stream.filter((m) => m.type === 'planned_change' && !['noop', 'read'].includes(m.change!.action)).map((m) => `${m.change!.resource.addr}: ${m.change!.action}`);
    assert.deepEqual(changed.filter((c) => /^aws_[a-z_]+_attachment\./.test(c)), [], changed.join('\n'));
  });
});
