import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_AUTOSCALE_TARGET_PERCENT } from '../../lib/model/defaults';
import { onlyProblem, resolve, valid } from './fixtures';

const builds = (fields: Record<string, unknown>) => ({ pools: { builds: { count: 2, ...fields } } });

describe('autoscale: resolved bounds', () => {
  it('resolves min, max and the default target of 70 percent; count stays the initial size', () => {
    const pool = resolve(builds({ count: 3, autoscale: { min: 2, max: 10 } })).pools[0];
    assert.deepEqual(pool.autoscale, { min: 2, max: 10, targetPercent: DEFAULT_AUTOSCALE_TARGET_PERCENT });
    assert.equal(DEFAULT_AUTOSCALE_TARGET_PERCENT, 70);
    assert.equal(pool.count, 3);
  });
  it('keeps a given target', () => assert.equal(resolve(builds({ autoscale: { min: 1, max: 4, targetPercent: 85 } })).pools[0].autoscale?.targetPercent, 85));
  it('leaves a pool without autoscale fixed (no autoscale key at all)', () => assert.equal('autoscale' in resolve(builds({})).pools[0], false));
  it('accepts count at either bound, and min equal to max', () => {
    valid(builds({ count: 1, autoscale: { min: 1, max: 4 } }));
    valid(builds({ count: 4, autoscale: { min: 1, max: 4 } }));
    valid(builds({ count: 3, autoscale: { min: 3, max: 3 } }));
  });
});

describe('autoscale: refused files, one line each at the key to fix', () => {
  it('refuses min above max', () => {
    onlyProblem(builds({ count: 3, autoscale: { min: 5, max: 3 } }), 'pools.builds.autoscale.min', 'min 5 is more than max 3', 'lower min or raise max');
  });
  it('refuses a count below min or above max, naming the bounds', () => {
    onlyProblem(builds({ count: 1, autoscale: { min: 2, max: 4 } }), 'pools.builds.count', '1 is outside autoscale\'s [2, 4]', 'initial size');
    onlyProblem(builds({ count: 5, autoscale: { min: 2, max: 4 } }), 'pools.builds.count', '5 is outside autoscale\'s [2, 4]');
  });
  it('refuses autoscale on a pool with a volume', () => {
    const volume = { sizeGiB: 10, mountPath: '/var/lib/jenkins' };
    onlyProblem(builds({ volume, autoscale: { min: 1, max: 4 } }), 'pools.builds.autoscale', 'pool with a volume', 'remove autoscale or the volume');
  });
  it('refuses min 0 (an empty pool shows no CPU share), a target outside 1..100, a missing max and unknown keys', () => {
    onlyProblem(builds({ autoscale: { min: 0, max: 4 } }), 'pools.builds.autoscale.min', '0', 'must be >= 1');
    onlyProblem(builds({ autoscale: { min: 1, max: 4, targetPercent: 0 } }), 'pools.builds.autoscale.targetPercent', 'must be >= 1');
    onlyProblem(builds({ autoscale: { min: 1, max: 4, targetPercent: 101 } }), 'pools.builds.autoscale.targetPercent', 'must be <= 100');
    onlyProblem(builds({ autoscale: { min: 1 } }), 'pools.builds.autoscale.max', 'is required');
    onlyProblem(builds({ autoscale: { min: 1, max: 4, desired: 2 } }), 'pools.builds.autoscale.desired', 'unknown key', 'min, max, targetPercent');
  });
  it('sizes the network for max agents, not the initial count', () => {
    // A /20 holds 507 agents per zone (validation.test.ts): max 1015 over 2 zones puts 508 in one.
    onlyProblem({ network: { cidr: '10.0.0.0/20' }, ...builds({ count: 2, autoscale: { min: 1, max: 1015 } }) }, 'network.cidr', 'is too small', '508 agents in one zone');
    valid({ network: { cidr: '10.0.0.0/20' }, ...builds({ count: 2, autoscale: { min: 1, max: 1014 } }) });
  });
});
