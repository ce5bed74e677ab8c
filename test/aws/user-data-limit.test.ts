import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AWS_USER_DATA_LIMIT_BYTES, awsUserDataProblems } from '../../lib/aws/user-data-limit';
import { buildTopology } from '../../lib/model';
import { exampleCluster } from '../support/aws-synth';

const manyAttributes = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`label-${i}`, `value-number-${i}`]));

describe('AWS user-data size limit', () => {
  it('accepts the example cluster, every document under the limit', () => {
    assert.deepEqual(awsUserDataProblems(buildTopology(exampleCluster())), []);
  });

  it('names the pool whose document is too large, with its size and the limit', () => {
    const problems = awsUserDataProblems(buildTopology(exampleCluster({ pools: { 'jenkins-masters': { attributes: manyAttributes } } })));
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.equal(problems[0].path, 'pools.jenkins-masters');
    assert.match(problems[0].message, new RegExp(`user-data of pool jenkins-masters is \\d+ bytes, over EC2's limit of ${AWS_USER_DATA_LIMIT_BYTES}`));
  });

  it('names the quorum role whose documents grow too large with its ensemble', () => {
    const zones = ['a', 'b', 'c', 'd', 'e', 'f'].map((z) => `us-east-1${z}`);
    const problems = awsUserDataProblems(buildTopology(exampleCluster({ network: { zones }, zookeeper: { count: 59 }, masters: { count: 59 }, marathon: { count: 59 } })));
    assert.ok(problems.length > 0, 'a 59-member ensemble lists every member on every node');
    assert.ok(problems.every((p) => ['zookeeper', 'masters', 'marathon', 'pools.jenkins-masters', 'pools.builds', 'bastion'].includes(p.path)), JSON.stringify(problems));
  });
});
