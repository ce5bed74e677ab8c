import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CLOUD_RULES } from '../../lib/cloud-rules';
import { buildTopology, loadClusterFiles } from '../../lib/model';
import { ALL_RULES, checkStack, formatFinding } from '../../lib/policy';
import { STACK_READERS } from '../../lib/policy/readers';
import { exampleCluster, synthAws } from '../support/aws-synth';

const CLUSTERS = join(__dirname, '..', '..', 'clusters');
const files = readdirSync(CLUSTERS).filter((f) => f.endsWith('.yaml')).map((f) => join(CLUSTERS, f));

describe('policy rules on the example clusters', () => {
  for (const cluster of loadClusterFiles(files, CLOUD_RULES)) {
    it(`${cluster.name} passes every rule with no suppression`, () => {
      assert.deepEqual(cluster.policy.suppressions, []);
      const { json } = synthAws(cluster);
      const report = checkStack({ name: cluster.name, cloud: cluster.cloud, json });
      assert.deepEqual(report.findings.map(formatFinding), []);
    });
  }

  it('judges something in the example for every AWS rule: no rule passes by finding nothing to check', () => {
    const cluster = exampleCluster();
    const { json } = synthAws(cluster);
    const stack = { name: cluster.name, cloud: cluster.cloud, json, view: STACK_READERS.aws!(json) };
    for (const rule of ALL_RULES.filter((r) => r.clouds.includes('aws'))) {
      assert.ok(rule.evaluate(stack).some((r) => r.outcome === 'compliant'), rule.id);
    }
    // The reader saw what the topology placed: every server and pool with its services.
    assert.equal(stack.view.nodes.filter((n) => n.services.includes('zookeeper')).length, buildTopology(cluster).zookeeper.servers.length);
  });

  it('passes the colocated variant, whose control servers run all three services', () => {
    const cluster = exampleCluster({ colocate: true, zookeeper: { size: 'm5.xlarge' }, masters: undefined, marathon: undefined });
    const report = checkStack({ name: cluster.name, cloud: cluster.cloud, json: synthAws(cluster).json });
    assert.deepEqual(report.findings.map(formatFinding), []);
  });
});
