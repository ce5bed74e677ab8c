import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { motoUnavailable } from '../../lib/emulator/moto-server';
import { classifyPlan, ResourceKind } from '../../lib/plan/cluster-resources';
import { CheckOptions, Finding } from '../../lib/plan/checks';
import { isNoOp } from '../../lib/plan/plan-summary';
import { summaryMarkdown, summaryText } from '../../lib/plan/summary-markdown';
import { byName, EmulatedCluster, ScenarioPlan, StateResource } from '../support/emulated-cluster';
import { offlineTerraformUnavailable } from '../support/offline-terraform';
import { assertToolAvailable, gateOn } from '../support/tool-gate';

// The gate reads moto's package metadata; the moto this file starts proves it imports.
const missing = offlineTerraformUnavailable() ?? motoUnavailable();

/** Effects on the resources that are what `kinds` name, e.g. quorum servers. */
function effectsOn(plan: ScenarioPlan, ...kinds: string[]): string[] {
  return classifyPlan(plan.plan!).filter((r) => kinds.includes(r.what.kind)).map((r) => r.effect);
}

const checks = (plan: ScenarioPlan, options = {}) => [...new Set(plan.findings(options).map((f) => f.check))].sort();
const checkIds = (findings: readonly Finding[]) => [...new Set(findings.map((f) => f.check))].sort();

/**
 * The findings of a plan that carries two pull requests' changes, to resources apart, split by
 * which change's resources each finding names: every Terraform run costs a start and a provider
 * load (5 to 13 CPU-s), so two scenarios share one plan where neither change can touch what the
 * other checks. A finding on neither side, or on both, fails the split, so each test still sees
 * every finding its change causes and nothing it does not.
 */
function splitFindings(plan: ScenarioPlan, sides: Record<string, (what: ResourceKind) => boolean>, options: Partial<CheckOptions> = {}): Record<string, Finding[]> {
  const resources = classifyPlan(plan.plan!);
  const split: Record<string, Finding[]> = Object.fromEntries(Object.keys(sides).map((side) => [side, []]));
  for (const finding of plan.findings(options)) {
    const named = finding.address.split(' ').map((address) => resources.find((r) => r.change.address === address)?.what);
    const owners = Object.entries(sides).filter(([, on]) => named.every((what) => what !== undefined && on(what))).map(([side]) => side);
    assert.equal(owners.length, 1, `${finding.check} on ${finding.address} belongs to ${owners.length} of ${Object.keys(sides).join(', ')}`);
    split[owners[0]].push(finding);
  }
  return split;
}

/** Runs `make` once, on first use: the scenarios that share a plan await the same one. */
function shared<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

const isServer = (name: string) => (what: ResourceKind) => what.kind === 'quorum-server' && what.name === name;
const isOfPool = (pool: string) => (what: ResourceKind) => 'pool' in what && what.pool === pool;
const isQuorumServer = (what: ResourceKind) => what.kind === 'quorum-server';

// The example cluster applied on moto; every scenario plans against that real state.
describe('pull request scenarios on real Terraform state (moto)', gateOn(missing), () => {
  let cluster: EmulatedCluster;
  let base: string;
  let applied: StateResource[];

  before(async () => {
    assertToolAvailable(missing);
    // The example applied once for every emulator file (the first one to need it applies it from
    // scratch); this file starts from a copy of that apply, its own moto and workspace. Its 18
    // Terraform runs share one provider process: what they plan does not depend on who starts it.
    // It finds moto through its environment: an `endpoints` block costs it 3 CPU-s a plan.
    cluster = await EmulatedCluster.applied({ reattachProvider: true, endpointsFromEnvironment: true });
    base = EmulatedCluster.synth();
    applied = await cluster.state();
  });

  after(async () => {
    await cluster?.stop();
  });

  // Plans only: each in its own copy of the applied state, two at a time.
  describe('plans against the applied example cluster', { concurrency: 2 }, () => {
    // With refresh, every resource is read back from the moto that loaded the saved apply: a no-op
    // here proves the restore faithful (and the apply that made it, a from-scratch apply, sound).
    it('a plan with no change against the restored apply, every resource read back from moto, is a no-op and says so', async () => {
      const plan = await cluster.plan(base, { refresh: true });
      assert.ok(isNoOp(plan.summary), summaryText(plan.summary));
      assert.equal(summaryText(plan.summary), 'ci-aws: no changes');
      assert.match(summaryMarkdown(plan.summary), /No changes/);
      assert.deepEqual(plan.findings(), []);
    });

    it('a new image updates launch templates only and passes', async () => {
      const plan = await cluster.plan(EmulatedCluster.synth({ image: 'ami-0fedcba9876543210' }));
      assert.deepEqual([...new Set(effectsOn(plan, 'quorum-server', 'agent', 'data-volume'))], ['none']);
      // Every launch template (the builds pool's and the edge's) takes the image, and nothing else changes.
      const templates = effectsOn(plan, 'launch-template');
      assert.ok(templates.length >= 2 && templates.every((effect) => effect === 'update'), templates.join(', '));
      assert.deepEqual(plan.findings(), []);
      assert.equal(plan.summary.totals.update, templates.length);
    });

    // One plan, two pull requests: zookeeper-2's address edited in the code, and jenkins-masters-2
    // replaced with -replace (splitFindings says why they may share it).
    const movedAndReplaced = shared(() => {
      const agent = byName(applied, 'ci-aws-jenkins-masters-2');
      return cluster.plan(EmulatedCluster.edit(base, 'ci-aws-zookeeper-2', { private_ip: '10.20.17.20' }), { planArgs: [`-replace=${agent.address}`] });
    });
    const movedOrReplaced = { moved: isServer('zookeeper-2'), replaced: isOfPool('jenkins-masters') };

    it("moving a quorum server's address is refused, even when its replacement is allowed", async () => {
      const plan = await movedAndReplaced();
      assert.deepEqual(checkIds(splitFindings(plan, movedOrReplaced).moved), ['quorum-address-moved', 'quorum-server-replaced']);
      assert.deepEqual(checkIds(splitFindings(plan, movedOrReplaced, { allowReplace: new Set(['zookeeper-2']) }).moved), ['quorum-address-moved']);
      assert.match(summaryText(plan.summary), /zookeeper-2 replaced \(private_ip changed\)/);
    });

    it('a change that replaces a volume agent is refused as data loss', async () => {
      const { replaced } = splitFindings(await movedAndReplaced(), movedOrReplaced);
      assert.deepEqual(checkIds(replaced), ['data-loss']);
      assert.match(replaced[0].message, /agent jenkins-masters-2 of pool jenkins-masters holds a data volume and would be replaced \(requested with -replace\)/);
    });

    // One plan, two pull requests that each change one count: the quorum's (3 to 5) and the volume
    // pool's (3 to 1), the latter without prevent_destroy so that the check, not Terraform, answers.
    const quorumGrownPoolShrunk = shared(() =>
      cluster.plan(EmulatedCluster.synth({ zookeeper: { count: 5, size: 't3.medium' }, pools: { 'jenkins-masters': { count: 1 } } }), { withoutPreventDestroy: true }),
    );
    const quorumOrPool = { quorum: isQuorumServer, pool: isOfPool('jenkins-masters') };

    it('a quorum count change on the running cluster is refused', async () => {
      const { quorum } = splitFindings(await quorumGrownPoolShrunk(), quorumOrPool);
      assert.deepEqual(checkIds(quorum), ['quorum-size-changed']);
      assert.match(quorum[0].message, /zookeeper quorum would change from 3 to 5/);
    });

    it('a zone reorder: Terraform refuses at the data volumes, and where prevent_destroy is gone the check refuses it', async () => {
      const reordered = EmulatedCluster.synth({ network: { zones: ['us-east-1b', 'us-east-1a', 'us-east-1c'] } });
      const guarded = await cluster.plan(reordered);
      assert.equal(guarded.plan, undefined);
      assert.ok(guarded.summary.refusals.length > 0);
      assert.ok(guarded.summary.refusals.every((r) => r.address.startsWith('aws_ebs_volume.')));
      assert.match(summaryMarkdown(guarded.summary), /Terraform refused to plan[\s\S]*data volume/);

      const unguarded = await cluster.plan(reordered, { withoutPreventDestroy: true });
      // Servers and volume agents follow their zone's subnet, so all of them are re-placed at once.
      assert.deepEqual(checks(unguarded), ['data-loss', 'pool-shrink', 'quorum-server-replaced', 'zone-replacement']);
      const replaced = unguarded.findings().filter((f) => f.check === 'zone-replacement').map((f) => f.message);
      assert.ok(replaced.some((m) => /^zookeeper-1 \(.*\) would be re-placed because .*(subnet_id|availability_zone)/.test(m)), replaced.join('\n'));
    });

    it('shrinking the volume pool by two is refused: by Terraform (prevent_destroy on the for_each volumes), and by the check without it', async () => {
      const shrunk = EmulatedCluster.synth({ pools: { 'jenkins-masters': { count: 1 } } });
      const guarded = await cluster.plan(shrunk);
      // for_each keeps the volume block, and its prevent_destroy, in the configuration: Terraform
      // refuses to destroy the two volumes whose keys left, and there is no plan to check.
      assert.equal(guarded.plan, undefined, 'Terraform refuses the plan');
      assert.deepEqual(guarded.summary.refusals.map((r) => /jenkins-masters-(\d)/.exec(r.address)?.[1]).sort(), ['2', '3']);
      assert.ok(guarded.summary.refusals.every((r) => r.address.startsWith('aws_ebs_volume.')), guarded.summary.refusals.map((r) => r.address).join(' '));
      const { pool } = splitFindings(await quorumGrownPoolShrunk(), quorumOrPool);
      assert.deepEqual(checkIds(pool), ['data-loss', 'pool-shrink']);
      const lost = pool.filter((f) => f.check === 'data-loss').map((f) => f.message);
      assert.equal(lost.filter((m) => /^data volume jenkins-masters-[23]-data of pool jenkins-masters would be destroyed/.test(m)).length, 2, lost.join('\n'));
      assert.equal(lost.filter((m) => /^agent jenkins-masters-[23] of pool jenkins-masters holds a data volume and would be destroyed/.test(m)).length, 2, lost.join('\n'));
    });
  });

  it('growing each pool passes, and the apply adds exactly that capacity and nothing else', async () => {
    const grown = EmulatedCluster.synth({ pools: { builds: { count: 8 }, 'jenkins-masters': { count: 4 } } });
    const plan = await cluster.plan(grown);
    assert.deepEqual(plan.findings(), []);
    assert.deepEqual([...plan.summary.groups.keys()].sort(), ['pool builds', 'pool jenkins-masters', 'volume attachments']);
    assert.equal(plan.summary.groups.get('pool builds')?.update, 1);
    assert.deepEqual(effectsOn(plan, 'quorum-server', 'data-volume', 'agent').filter((e) => e !== 'none'), ['create', 'create']);
    assert.match(summaryMarkdown(plan.summary), /pool builds: 6 → 8 agents[\s\S]*pool jenkins-masters: 3 → 4 agents/);
    const created = classifyPlan(plan.plan!).filter((r) => r.effect === 'create').map((r) => r.change.address).sort();

    await cluster.applyPlan(plan);
    const state = await cluster.state();
    // The builds pool's group, not the edge's.
    const group = state.find((r) => r.type === 'aws_autoscaling_group' && r.values.name === 'ci-aws-builds');
    assert.equal(group?.values.desired_capacity, 8);
    assert.equal(state.filter((r) => r.type === 'aws_ebs_volume').length, 4);
    assert.equal(byName(state, 'ci-aws-jenkins-masters-4').type, 'aws_instance');
    // An empty list and null are the same value: a refresh may turn one into the other (the edge
    // group's capacity_reservation_target reads back [] after being stored as null).
    const values = (v: unknown) => JSON.stringify(v, (_key, x) => (Array.isArray(x) && x.length === 0 ? null : x));
    const before = new Map(applied.map((r) => [r.address, values(r.values)]));
    const changed = state.filter((r) => before.has(r.address) && before.get(r.address) !== values(r.values)).map((r) => r.address);
    assert.deepEqual(changed, [group!.address], 'only the build group changed');
    assert.deepEqual(state.filter((r) => !before.has(r.address)).map((r) => r.address).sort(), created, 'only what the plan created was added');
    base = grown;
  });

  it('-replace of one quorum server is refused without the override, allowed with it, and it comes back at its address', async () => {
    const state = await cluster.state();
    const old = byName(state, 'ci-aws-zookeeper-2');
    const plan = await cluster.plan(base, { planArgs: [`-replace=${old.address}`] });
    assert.deepEqual(checks(plan), ['quorum-server-replaced']);
    assert.match(plan.findings()[0].message, /zookeeper-2 would be replaced \(requested with -replace\)/);
    assert.deepEqual(plan.findings({ allowReplace: new Set(['zookeeper-2']) }), []);

    await cluster.applyPlan(plan);
    const replaced = byName(await cluster.state(), 'ci-aws-zookeeper-2');
    assert.notEqual(replaced.values.id, old.values.id);
    assert.equal(replaced.values.private_ip, old.values.private_ip);
  });
});
