import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPhases, phasesOf } from '../../bench/profile';

const BUNDLE = 'file:///repo/dist/app/main.js';
const frame = (functionName: string, url = BUNDLE) => ({ functionName, url });

/** root -> run (scripts/app.js) -> main (bundle) -> policyReport -> checkStack -> readCloudConfigFiles; GC and idle beside. */
const profile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 7, 8, 9] },
    { id: 2, callFrame: frame('run', 'file:///repo/scripts/app.js'), children: [3] },
    { id: 3, callFrame: frame('main'), children: [4] },
    { id: 4, callFrame: frame('policyReport'), children: [5] },
    { id: 5, callFrame: frame('checkStack'), children: [6] },
    { id: 6, callFrame: frame('readCloudConfigFiles') },
    { id: 7, callFrame: frame('(garbage collector)', '') },
    { id: 8, callFrame: frame('(idle)', '') },
    { id: 9, callFrame: frame('checkStack', 'file:///elsewhere/other.js') },
  ],
  samples: [2, 3, 4, 5, 6, 6, 7, 8, 9],
  timeDeltas: [1000, 2000, 3000, 4000, 5000, 5000, 6000, 7000, 8000],
};

describe('bench profile: where the time goes', () => {
  it('gives each sample to the innermost phase on its stack by function name and file, leaving idle time out', () => {
    const phases = phasesOf(profile);
    assert.deepEqual(Object.fromEntries(phases), {
      'loading the bundle (compile from the V8 code cache, module bodies)': 1,
      // policyReport is no phase of its own: its samples belong to main's phase.
      'other app work': 2 + 3,
      'policy rules': 4,
      'policy rules: parsing cloud-config YAML': 10,
      'garbage collection': 6,
      // A function of the same name in another file is not the phase.
      'Node start-up, exit and anything outside these': 8,
    });
  });

  it('formats phases as labels with whole milliseconds', () => {
    assert.equal(formatPhases([['policy rules', 4.4], ['garbage collection', 6.6]]), 'policy rules 4 ms, garbage collection 7 ms');
  });
});
