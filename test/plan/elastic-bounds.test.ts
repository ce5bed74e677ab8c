import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkChange } from '../../lib/plan/plan-verdict';
import { classifyPlan } from '../../lib/plan/cluster-resources';
import { DEFAULT_CHECK_OPTIONS } from '../../lib/plan/checks';
import { summarizePlan } from '../../lib/plan/plan-summary';
import { change, group, plan } from './plan-fixtures';

/** An elastic builds group as state holds it after scaling to `running`, within [min, max]. */
const elastic = (running: number, min: number, max: number) => ({ ...group('builds', running), min_size: min, max_size: max });

/** A plan that moves only the group's bounds: Terraform ignores its desired capacity, so after keeps the running size. */
const bounds = (running: number, before: [number, number], after: [number, number]) =>
  plan(change('aws_autoscaling_group.pool-builds_group', 'aws_autoscaling_group', ['update'], elastic(running, ...before), elastic(running, ...after)));

const checksOf = (p: ReturnType<typeof plan>) => checkChange(p, DEFAULT_CHECK_OPTIONS).map((f) => f.check);

describe('check-change on elastic pools: autoscale bounds count like a count', () => {
  it('refuses lowering max far below the running size: the group would remove those agents at once', () => {
    const findings = checkChange(bounds(9, [2, 20], [2, 4]), DEFAULT_CHECK_OPTIONS);
    assert.deepEqual(findings.map((f) => f.check), ['pool-shrink']);
    assert.match(findings[0].message, /pool builds would lose 5 of its 9 agents at once/);
  });

  it('allows lowering max to one agent below the running size, or anywhere above it', () => {
    assert.deepEqual(checksOf(bounds(9, [2, 20], [2, 8])), []);
    assert.deepEqual(checksOf(bounds(9, [2, 20], [2, 12])), []);
  });

  it('allows raising min above the running size (the group grows)', () => assert.deepEqual(checksOf(bounds(3, [2, 20], [6, 20])), []));

  it('shows the sizes the group will hold in the summary: running before, bounded after', () => {
    const [pool] = summarizePlan('ci-aws', classifyPlan(bounds(9, [2, 20], [2, 4]))).pools;
    assert.deepEqual([pool.pool, pool.agentsBefore, pool.agentsAfter], ['builds', 9, 4]);
    const [grown] = summarizePlan('ci-aws', classifyPlan(bounds(3, [2, 20], [6, 20]))).pools;
    assert.deepEqual([grown.agentsBefore, grown.agentsAfter], [3, 6]);
  });
});
