import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkChange } from '../../lib/plan/plan-verdict';
import { CheckOptions, DEFAULT_CHECK_OPTIONS } from '../../lib/plan/checks';
import { agent, attachment, change, group, plan, server, volume } from './plan-fixtures';

const ZK = (n: number) => server(`zookeeper-${n}`, 'zookeeper', `10.20.16.${n}`);
const options = (o: Partial<CheckOptions> = {}): CheckOptions => ({ ...DEFAULT_CHECK_OPTIONS, ...o });
const checksOf = (p: ReturnType<typeof plan>, o?: Partial<CheckOptions>) => checkChange(p, options(o)).map((f) => f.check);

// Addresses are arbitrary on purpose: the checks must read what a resource is from itself.
describe('check-change, each check on hand-made plan fragments', () => {
  it('refuses a quorum server replacement the PR does not name, and allows a named one', () => {
    const replaced = plan(change('aws_instance.x["a"]', 'aws_instance', ['delete', 'create'], ZK(2), ZK(2), { action_reason: 'replace_by_request' }));
    const findings = checkChange(replaced, options());
    assert.deepEqual(findings.map((f) => f.check), ['quorum-server-replaced']);
    assert.match(findings[0].message, /zookeeper-2 would be replaced \(requested with -replace\).*--allow-replace zookeeper-2/);
    assert.deepEqual(checksOf(replaced, { allowReplace: new Set(['zookeeper-2']) }), []);
  });

  it('refuses two servers of one quorum at once even when both are named', () => {
    const two = plan(
      change('a.b', 'aws_instance', ['delete', 'create'], ZK(1), ZK(1)),
      change('a.c', 'aws_instance', ['delete', 'create'], ZK(2), ZK(2)),
    );
    assert.deepEqual(checksOf(two, { allowReplace: new Set(['zookeeper-1', 'zookeeper-2']) }), ['quorum-server-replaced']);
  });

  it('counts a colocated control server in every quorum it serves', () => {
    const control = (n: number) => ({ ...server(`control-${n}`, 'control', `10.20.16.${n}`), tags: { Name: `ci-aws-control-${n}`, cluster: 'ci-aws', role: 'control', services: 'zookeeper,mesos-master,marathon' } });
    const two = plan(change('a.b', 'aws_instance', ['delete', 'create'], control(1), control(1)), change('a.c', 'aws_instance', ['delete', 'create'], control(2), control(2)));
    const findings = checkChange(two, options({ allowReplace: new Set(['control-1', 'control-2']) }));
    assert.deepEqual(findings.map((f) => f.check), ['quorum-server-replaced', 'quorum-server-replaced', 'quorum-server-replaced']);
    assert.deepEqual(
      findings.map((f) => /^2 (\S+) servers would leave at once \(control-1, control-2\)/.exec(f.message)?.[1]),
      ['zookeeper', 'mesos-master', 'marathon'],
      findings.map((f) => f.message).join('\n'),
    );
  });

  it('refuses a quorum size change on a running cluster, not on a new one', () => {
    const grow = plan(change('a.a', 'aws_instance', ['no-op'], ZK(1), ZK(1)), change('a.d', 'aws_instance', ['create'], null, ZK(4)));
    assert.deepEqual(checksOf(grow), ['quorum-size-changed']);
    assert.deepEqual(checksOf(grow, { allowQuorumResize: true }), []);
    assert.deepEqual(checksOf(plan(change('a.a', 'aws_instance', ['create'], null, ZK(1)))), []);
  });

  it('refuses a lost data volume and a replaced instance that holds one', () => {
    const lost = plan(
      change('v.x', 'aws_ebs_volume', ['delete'], volume('jenkins-masters-3', 'jenkins-masters'), null),
      change('i.x', 'aws_instance', ['delete', 'create'], agent('jenkins-masters-2', 'jenkins-masters'), agent('jenkins-masters-2', 'jenkins-masters'), { replace_paths: [['user_data']] }),
      change('t.x', 'aws_volume_attachment', ['no-op'], attachment('jenkins-masters-2'), attachment('jenkins-masters-2')),
    );
    const findings = checkChange(lost, options({ maxPoolRemovalShare: 1 }));
    assert.deepEqual(findings.map((f) => f.check), ['data-loss', 'data-loss']);
    assert.match(findings[1].message, /jenkins-masters-2 .* replaced \(user_data changed\)/);
  });

  it('refuses a quorum server that moves to another address', () => {
    const moved = plan(change('a.b', 'aws_instance', ['delete', 'create'], ZK(2), { ...ZK(2), private_ip: '10.20.16.99' }));
    assert.ok(checksOf(moved, { allowReplace: new Set(['zookeeper-2']) }).includes('quorum-address-moved'));
  });

  it("refuses removing more than the share of a pool's agents, allows one", () => {
    const shrink = (to: number) => plan(change('g.x', 'aws_autoscaling_group', ['update'], group('builds', 6), group('builds', to)));
    assert.deepEqual(checksOf(shrink(5)), []);
    assert.deepEqual(checksOf(shrink(4)), ['pool-shrink']);
    assert.deepEqual(checksOf(shrink(3), { maxPoolRemovalShare: 0.5 }), []);
    assert.deepEqual(checksOf(shrink(8)), []);
  });

  it('refuses re-placing resources because their zone changed', () => {
    const subnet = { id: 'subnet-1', availability_zone: 'us-east-1a', tags: { Name: 'ci-aws-control-a' } };
    const moved = plan(change('s.x', 'aws_subnet', ['delete', 'create'], subnet, { ...subnet, availability_zone: 'us-east-1b' }, { replace_paths: [['availability_zone']] }));
    assert.deepEqual(checksOf(moved), ['zone-replacement']);
  });

  it('passes pool growth and a launch template update', () => {
    const template = { id: 'lt-1', image_id: 'ami-1', tags: { pool: 'builds', role: 'mesos-agent' } };
    const growth = plan(
      change('g.x', 'aws_autoscaling_group', ['update'], group('builds', 6), group('builds', 9)),
      change('l.x', 'aws_launch_template', ['update'], template, { ...template, image_id: 'ami-2' }),
      change('i.y', 'aws_instance', ['create'], null, agent('jenkins-masters-4', 'jenkins-masters')),
      change('v.y', 'aws_ebs_volume', ['create'], null, volume('jenkins-masters-4', 'jenkins-masters')),
    );
    assert.deepEqual(checksOf(growth), []);
  });

  it('names a quorum server deleted outside Terraform that the plan re-creates, and does not take it for a bigger quorum', () => {
    const recreated = change('a.b', 'aws_instance', ['create'], null, ZK(2));
    const drifted = { ...plan(change('a.a', 'aws_instance', ['no-op'], ZK(1), ZK(1)), recreated, change('a.c', 'aws_instance', ['no-op'], ZK(3), ZK(3))), resource_drift: [change('a.b', 'aws_instance', ['delete'], ZK(2), null)] };
    const findings = checkChange(drifted, options());
    assert.deepEqual(findings.map((f) => f.check), ['drifted-outside-terraform']);
    assert.match(findings[0].message, /^quorum server zookeeper-2 was deleted outside Terraform, so this plan creates it again: it rejoins its ensemble empty/);
    // The same plan without the refresh's record of the deletion reads as a resize, as before.
    assert.deepEqual(checksOf(plan(change('a.a', 'aws_instance', ['no-op'], ZK(1), ZK(1)), recreated)), ['quorum-size-changed']);
  });

  it('names a security group rule removed by hand, and ignores drift the plan leaves alone', () => {
    const rule = { security_group_id: 'sg-1', from_port: 2181, to_port: 2181, tags: { cluster: 'ci-aws' } };
    const removed = { ...plan(change('r.zk', 'aws_vpc_security_group_ingress_rule', ['create'], null, rule)), resource_drift: [change('r.zk', 'aws_vpc_security_group_ingress_rule', ['delete'], rule, null)] };
    const findings = checkChange(removed, options());
    assert.deepEqual(findings.map((f) => `${f.check} ${f.address}`), ['drifted-outside-terraform r.zk']);
    assert.match(findings[0].message, /^r\.zk was deleted outside Terraform, so this plan creates it again; .*apply of the default branch/);
    const ignored = { ...plan(change('r.zk', 'aws_vpc_security_group_ingress_rule', ['no-op'], rule, rule)), resource_drift: [change('r.zk', 'aws_vpc_security_group_ingress_rule', ['update'], rule, { ...rule, description: 'x' })] };
    assert.deepEqual(checksOf(ignored), []);
  });
});
