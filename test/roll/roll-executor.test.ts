/**
 * The majority guard and the step executor with stand-in actions: a step runs only on a whole
 * cluster that keeps every majority, one server at a time, and the roll stops with one line at
 * the first failure, touching nothing after it. The instance refresh watcher against a stand-in
 * shaped from the Auto Scaling API reference (moto 5.2.1 has no instance refresh).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTopology } from '../../lib/model';
import { CheckResult } from '../../lib/verify/check-result';
import { majorityGuard, quorumHealth } from '../../lib/roll/majority-guard';
import { ClusterReport, executeRoll, RollActions } from '../../lib/roll/roll-executor';
import { InstanceRefresh, InstanceRefreshApi, refreshGroup } from '../../lib/roll/instance-refresh';
import { planRoll } from '../../lib/roll/roll-plan';
import { RollServer } from '../../lib/roll/roll-types';
import { exampleCluster, synthAws } from '../support/aws-synth';

const topology = buildTopology(exampleCluster({ image: 'ami-0fedcba9876543210' }));
const resources = synthAws(exampleCluster({ image: 'ami-0fedcba9876543210' })).json.resource;
const FAST = { readyTimeoutMs: 200, refreshTimeoutMs: 200, pollMs: 5 };

/** The verify checks' rows for the three quorums, every member `ok` except those in `down`. */
function report(down: readonly string[] = []): ClusterReport {
  const check = (name: string, members: readonly { name: string }[]): CheckResult => {
    const rows = members.map((m) => ({ subject: m.name, status: down.includes(m.name) ? ('fail' as const) : ('ok' as const), state: down.includes(m.name) ? 'no answer' : 'follower' }));
    return { check: name, status: rows.some((r) => r.status === 'fail') ? 'fail' : 'ok', summary: `${name} summary`, rows };
  };
  const checks = [check('zookeeper', topology.zookeeper.servers), check('mesos-masters', topology.mesos.masters), check('marathon', topology.marathon.servers)];
  return { whole: checks.every((c) => c.status === 'ok'), checks };
}

const server = (name: string, quorums: RollServer['quorums']): RollServer => ({ name, role: 'zookeeper', quorums, agent: false, address: `x.${name}`, targets: [`x.${name}`], desired: {} });

/** Stand-in actions recording what happened; `down` is what the checks report after each replacement. */
function standIn(options: { downAfter?: (replaced: string[]) => string[]; failReplaceOf?: string; before?: string[] } = {}) {
  const events: string[] = [];
  const replaced: string[] = [];
  const actions: RollActions = {
    checks: async () => report(replaced.length === 0 && options.before ? options.before : (options.downAfter?.(replaced) ?? [])),
    drain: async (s) => void events.push(`drain ${s.name}`),
    replace: async (step) => {
      if (step.server.name === options.failReplaceOf) throw new Error('Error: creating EC2 Instance: InsufficientInstanceCapacity');
      replaced.push(step.server.name);
      events.push(`replace ${step.server.name}`);
    },
    refresh: async (group) => void events.push(`refresh ${group.groupName}`),
  };
  return { actions, events };
}

describe('majority guard', () => {
  it('lets one member of a whole 3-server quorum go', () => {
    assert.equal(majorityGuard(topology, server('zookeeper-1', ['zookeeper']), quorumHealth(report().checks)), undefined);
  });

  it('refuses any step on a quorum with a member already down, naming it', () => {
    const refused = majorityGuard(topology, server('zookeeper-1', ['zookeeper']), quorumHealth(report(['zookeeper-3']).checks));
    assert.match(refused ?? '', /zookeeper quorum without a majority \(zookeeper-3 already down, 2 needed\)/);
    // Five servers, one down: the other three would still be a majority, and the step is still refused.
    const five = buildTopology(exampleCluster({ zookeeper: { count: 5, size: 't3.medium' } }));
    const rows = five.zookeeper.servers.map((s) => ({ subject: s.name, status: s.name === 'zookeeper-5' ? ('fail' as const) : ('ok' as const), state: '' }));
    const health = quorumHealth([{ check: 'zookeeper', status: 'fail', summary: '', rows }]);
    assert.match(majorityGuard(five, server('zookeeper-1', ['zookeeper']), health) ?? '', /zookeeper-5 already down, 3 needed/);
  });

  it('refuses a member not reported at all, and a one-server quorum', () => {
    assert.match(majorityGuard(topology, server('master-1', ['mesos-master']), new Map()) ?? '', /master-1, master-2, master-3 already down/);
    const single = buildTopology(exampleCluster({ zookeeper: { count: 1, size: 't3.medium' } }));
    const health = quorumHealth([{ check: 'zookeeper', status: 'ok', summary: '', rows: [{ subject: 'zookeeper-1', status: 'ok', state: 'standalone' }] }]);
    assert.match(majorityGuard(single, server('zookeeper-1', ['zookeeper']), health) ?? '', /only 1 of 1 serving, 1 needed/);
  });

  it('checks every quorum of a colocated control server', () => {
    const refused = majorityGuard(topology, server('control-1', ['zookeeper', 'mesos-master', 'marathon']), quorumHealth(report(['marathon-2']).checks));
    assert.match(refused ?? '', /marathon quorum/);
  });
});

describe('roll executor', () => {
  const plan = planRoll({ topology, resources, role: 'jenkins-masters' });

  it('replaces one server per step, in order, draining agents first', async () => {
    const { actions, events } = standIn();
    const outcome = await executeRoll(topology, plan, actions, () => {}, FAST);
    assert.equal(outcome.stopped, undefined);
    assert.deepEqual(events, ['drain jenkins-masters-1', 'replace jenkins-masters-1', 'drain jenkins-masters-2', 'replace jenkins-masters-2', 'drain jenkins-masters-3', 'replace jenkins-masters-3']);
  });

  it('does not start on a cluster that is not whole', async () => {
    const { actions, events } = standIn({ before: ['master-2'] });
    const outcome = await executeRoll(topology, plan, actions, () => {}, FAST);
    assert.deepEqual(events, []);
    assert.match(outcome.stopped ?? '', /^roll stopped before jenkins-masters-1: the cluster is not whole \(mesos-masters: mesos-masters summary\)/);
  });

  it('stops when a replaced server is not back in time, touching nothing after it', async () => {
    const zookeeper = planRoll({ topology, resources, role: 'zookeeper' });
    const { actions, events } = standIn({ downAfter: (replaced) => (replaced.includes('zookeeper-2') ? ['zookeeper-2'] : []) });
    const outcome = await executeRoll(topology, zookeeper, actions, () => {}, FAST);
    assert.deepEqual(events, ['replace zookeeper-1', 'replace zookeeper-2']);
    assert.deepEqual(outcome.done, ['zookeeper-1']);
    assert.match(outcome.stopped ?? '', /^roll stopped at zookeeper-2: it was replaced but the cluster was not whole again within 0 s \(zookeeper: zookeeper summary\); servers after it are untouched/);
  });

  it('starts an Auto Scaling pool\'s instance refresh only on a whole cluster', async () => {
    const builds = planRoll({ topology, resources, role: 'builds' });
    const whole = standIn();
    assert.deepEqual((await executeRoll(topology, builds, whole.actions, () => {}, FAST)).done, ['ci-aws-builds']);
    assert.deepEqual(whole.events, ['refresh ci-aws-builds']);
    const broken = standIn({ before: ['zookeeper-1'] });
    const outcome = await executeRoll(topology, builds, broken.actions, () => {}, FAST);
    assert.deepEqual(broken.events, []);
    assert.match(outcome.stopped ?? '', /^roll stopped before Auto Scaling group ci-aws-builds: the cluster is not whole/);
  });

  it('stops with Terraform\'s first error when a replacement fails', async () => {
    const { actions, events } = standIn({ failReplaceOf: 'jenkins-masters-2' });
    const outcome = await executeRoll(topology, plan, actions, () => {}, FAST);
    assert.deepEqual(events, ['drain jenkins-masters-1', 'replace jenkins-masters-1', 'drain jenkins-masters-2']);
    assert.match(outcome.stopped ?? '', /^roll stopped at jenkins-masters-2: terraform apply -replace=aws_instance\.pool-jenkins-masters_instance\["jenkins-masters-2"\] failed: Error: creating EC2 Instance/);
  });
});

/**
 * A stand-in for StartInstanceRefresh / DescribeInstanceRefreshes (reference/aws/instance-refresh.json):
 * each describe moves a refresh one status along `path`; a second start while one runs is refused.
 */
class InstanceRefreshStandIn implements InstanceRefreshApi {
  readonly refreshes: Array<InstanceRefresh & { path: string[] }> = [];
  readonly starts: Array<{ group: string; minHealthy: number }> = [];
  constructor(private readonly path: string[]) {}

  async start(group: string, minHealthy: number): Promise<string> {
    if (this.refreshes.some((r) => r.path.length > 0)) throw new Error('InstanceRefreshInProgress');
    this.starts.push({ group, minHealthy });
    const id = `refresh-${this.refreshes.length + 1}`;
    this.refreshes.unshift({ id, status: 'Pending', path: [...this.path] });
    return id;
  }

  async describe(): Promise<InstanceRefresh[]> {
    for (const r of this.refreshes) if (r.path.length > 0) Object.assign(r, { status: r.path.shift(), percentageComplete: 50 });
    return this.refreshes.map(({ id, status, percentageComplete }) => ({ id, status, percentageComplete, statusReason: status === 'Failed' ? 'instances failed to launch' : undefined }));
  }
}

describe('instance refresh (against a stand-in of the Auto Scaling API)', () => {
  const timing = { timeoutMs: 2_000, pollMs: 1 };

  it('starts a refresh keeping 90% healthy and watches it to Successful', async () => {
    const api = new InstanceRefreshStandIn(['InProgress', 'InProgress', 'Successful']);
    await refreshGroup(api, 'ci-aws-builds', timing);
    assert.deepEqual(api.starts, [{ group: 'ci-aws-builds', minHealthy: 90 }]);
  });

  it('follows a refresh already running instead of starting a second one (a rerun)', async () => {
    const api = new InstanceRefreshStandIn(['InProgress', 'InProgress', 'Successful']);
    await api.start('ci-aws-builds', 90);
    await refreshGroup(api, 'ci-aws-builds', timing);
    assert.equal(api.starts.length, 1);
  });

  it('stops with one line when the refresh fails, or does not end in time', async () => {
    await assert.rejects(refreshGroup(new InstanceRefreshStandIn(['InProgress', 'Failed']), 'ci-aws-builds', timing), /Auto Scaling group ci-aws-builds: its instance refresh ended Failed \(instances failed to launch\)/);
    const endless = new InstanceRefreshStandIn(Array(100_000).fill('InProgress'));
    await assert.rejects(refreshGroup(endless, 'ci-aws-builds', { timeoutMs: 20, pollMs: 1 }), /did not finish within 0 s \(50% done\)/);
  });
});
