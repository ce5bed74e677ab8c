import { ClusterResource } from '../cluster-resources';
import { groupCapacity } from '../group-capacity';
import { existedBefore } from '../plan-json';
import { poolShrinksTooFast } from '../messages';
import { ChangeCheck, Finding } from './change-check';

/**
 * Removing agents kills the tasks on them: at most a share of a pool at once (always at least
 * one agent), drained first (docs/operations.md#shrinking-a-pool).
 */
export const poolShrinkCheck: ChangeCheck = {
  id: 'pool-shrink',
  summary: "removing more than the allowed share of a pool's agents at once",
  run(resources, options) {
    const findings: Finding[] = [];
    for (const [pool, { before, removed, addresses }] of poolRemovals(resources)) {
      const allowed = Math.max(1, Math.floor(before * options.maxPoolRemovalShare));
      if (removed > allowed) {
        findings.push({ check: this.id, address: addresses.join(' '), message: poolShrinksTooFast(pool, before, removed, allowed, options.maxPoolRemovalShare) });
      }
    }
    return findings;
  },
};

interface PoolRemoval {
  before: number;
  removed: number;
  addresses: string[];
}

/** Agents per pool before the plan and how many it removes, from groups' capacities (and elastic groups' bounds) and agent instances. */
function poolRemovals(resources: readonly ClusterResource[]): Map<string, PoolRemoval> {
  const pools = new Map<string, PoolRemoval>();
  const entry = (pool: string) => pools.get(pool) ?? pools.set(pool, { before: 0, removed: 0, addresses: [] }).get(pool)!;
  for (const resource of resources) {
    const { what, effect, change } = resource;
    if (!existedBefore(change)) continue;
    if (what.kind === 'agent-group') {
      const before = groupCapacity(change.change.before);
      const after = effect === 'update' || effect === 'none' ? groupCapacity({ desired_capacity: before, ...change.change.after }) : 0;
      const e = entry(what.pool);
      e.before += before;
      if (after < before) {
        e.removed += before - after;
        e.addresses.push(change.address);
      }
    } else if (what.kind === 'agent') {
      const e = entry(what.pool);
      e.before += 1;
      if (effect === 'destroy' || effect === 'replace') {
        e.removed += 1;
        e.addresses.push(change.address);
      }
    }
  }
  return pools;
}
