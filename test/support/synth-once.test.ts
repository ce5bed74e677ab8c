import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { synthOnce } from './synth-once';

describe('synthOnce: one synthesis per distinct cluster in a process', () => {
  const counting = () => {
    const made: unknown[] = [];
    const synth = (cluster: unknown) => () => (made.push(cluster), { text: JSON.stringify({ resource: { made: made.length } }), extra: made.length });
    return { made, once: (cluster: unknown) => synthOnce('test-cloud', cluster, synth(cluster)) };
  };

  it('synthesizes an equal cluster once and gives each caller its own copy of the JSON', () => {
    const { made, once } = counting();
    const first = once({ name: 'memo-a', pools: { builds: { count: 2 } } });
    first.json.resource.made = 'edited by a test';
    const second = once({ name: 'memo-a', pools: { builds: { count: 2 } } });
    assert.equal(made.length, 1);
    assert.deepEqual(second.json, { resource: { made: 1 } }, 'an edit by the first caller does not reach the second');
    assert.equal(second.extra, 1);
  });

  it('synthesizes again for another value, a key set to undefined, another cloud, or a cluster it cannot key', () => {
    const { made, once } = counting();
    once({ name: 'memo-b', count: 1 });
    once({ name: 'memo-b', count: 2 });
    once({ name: 'memo-b', count: 1, volume: undefined });
    synthOnce('other-cloud', { name: 'memo-b', count: 1 }, () => (made.push('other'), { text: '{}', extra: 0 }));
    once({ name: 'memo-b', tags: new Map([['a', 'b']]) });
    once({ name: 'memo-b', tags: new Map([['a', 'c']]) });
    assert.equal(made.length, 6);
  });
});
