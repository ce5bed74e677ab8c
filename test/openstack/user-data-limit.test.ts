import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTopology } from '../../lib/model';
import { NOVA_USER_DATA_LIMIT_BYTES, openstackUserDataProblems } from '../../lib/openstack/user-data-limit';
import { exampleOpenstackCluster } from '../support/openstack-synth';

const manyAttributes = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`label-${i}`, `value-number-${i}`]));

describe('Nova user-data size limit', () => {
  it('accepts the example cluster, every document under the limit', () => {
    assert.deepEqual(openstackUserDataProblems(buildTopology(exampleOpenstackCluster())), []);
  });

  it('names the pool whose document is too large once base64-encoded, with its size and the limit', () => {
    const problems = openstackUserDataProblems(buildTopology(exampleOpenstackCluster({ pools: { 'jenkins-masters': { attributes: manyAttributes } } })));
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.equal(problems[0].path, 'pools.jenkins-masters');
    assert.match(problems[0].message, new RegExp(`user-data of pool jenkins-masters is \\d+ bytes once base64-encoded, over Nova's limit of ${NOVA_USER_DATA_LIMIT_BYTES}`));
  });
});
