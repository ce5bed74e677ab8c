import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { AWS_USER_DATA_LIMIT_BYTES, awsUserDataProblems } from '../../lib/aws/user-data-limit';
import { renderAllUserData } from '../../lib/cloud-init';
import { buildTopology } from '../../lib/model';
import { exampleCluster } from '../support/aws-synth';

// Hash-like values barely compress: enough of them pass the limit even gzip-compressed.
const manyAttributes = Object.fromEntries(
  Array.from({ length: 400 }, (_, i) => [`label-${i}`, createHash('sha256').update(String(i)).digest('hex')]),
);

describe('AWS user-data size limit', () => {
  it('accepts the example cluster, every document under the limit', () => {
    assert.deepEqual(awsUserDataProblems(buildTopology(exampleCluster())), []);
  });

  it('accepts the example cluster with TLS on for Mesos and Marathon, every document under the limit', () => {
    assert.deepEqual(awsUserDataProblems(buildTopology(exampleCluster({ tls: { mesos: true, marathon: true } }))), []);
  });

  it('names the pool whose document is too large, with its size and the limit', () => {
    const problems = awsUserDataProblems(buildTopology(exampleCluster({ pools: { 'jenkins-masters': { attributes: manyAttributes } } })));
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.equal(problems[0].path, 'pools.jenkins-masters');
    assert.match(problems[0].message, new RegExp(`user-data of pool jenkins-masters is \\d+ bytes compressed, over EC2's limit of ${AWS_USER_DATA_LIMIT_BYTES}`));
  });

  it('measures the compressed document: a 59-member ensemble on every node still fits', () => {
    const zones = ['a', 'b', 'c', 'd', 'e', 'f'].map((z) => `us-east-1${z}`);
    const topology = buildTopology(exampleCluster({ network: { zones }, zookeeper: { count: 59 }, masters: { count: 59 }, marathon: { count: 59 } }));
    const largest = Math.max(...renderAllUserData(topology).map((d) => Buffer.byteLength(d.text)));
    assert.ok(largest > AWS_USER_DATA_LIMIT_BYTES, `the plain documents exceed the limit (${largest} bytes), or this test proves nothing`);
    assert.deepEqual(awsUserDataProblems(topology), []);
  });
});
