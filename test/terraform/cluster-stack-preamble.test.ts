import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Testing, TerraformStack } from 'cdktf';
import { renderPoolUserData } from '../../lib/cloud-init';
import { buildTopology, ResolvedCluster } from '../../lib/model';
import { clusterStackPreamble } from '../../lib/terraform/cluster-stack-preamble';
import { addClusterOutputs } from '../../lib/terraform/outputs';
import { exampleCluster } from '../support/aws-synth';

/** The example with a template marker that got past validation, in a value the pool's user-data carries. */
function markedCluster() {
  const base = exampleCluster();
  const pools = base.pools.map((pool) => (pool.name === 'jenkins-masters' ? { ...pool, attributes: { ...pool.attributes, rack: 'r${x}' } } : pool));
  return { ...base, pools };
}

describe('the stack preamble every cloud shares', () => {
  it('hands the stack a topology with every string escaped, and user-data rendered from the values as given', () => {
    const given = buildTopology(markedCluster());
    const { topology, userData } = clusterStackPreamble(new TerraformStack(Testing.app(), 'ci'), { topology: given });
    assert.equal(topology.pools.find((p) => p.name === 'jenkins-masters')?.attributes.rack, 'r$${x}');
    const poolUserData = userData.pool('jenkins-masters');
    assert.equal(poolUserData, renderPoolUserData(given, 'jenkins-masters'));
    assert.ok(poolUserData.includes('r${x}') && !poolUserData.includes('r$${x}'), 'the attribute reaches the agent as given');
  });

  it("adds the cluster's state backend", () => {
    const stack = new TerraformStack(Testing.app(), 'ci');
    clusterStackPreamble(stack, { topology: buildTopology(exampleCluster()) });
    assert.deepEqual(JSON.parse(Testing.synth(stack)).terraform.backend, { local: { path: `terraform.${exampleCluster().name}.tfstate` } });
  });

  // The two checks below are type errors that tsc must report: an unused @ts-expect-error fails
  // `npx tsc --noEmit`. The functions are never called.
  it('types the topology as loaded apart from the escaped one (tsc checks the @ts-expect-error)', () => {
    const outputsFromUnescaped = (stack: TerraformStack) =>
      // @ts-expect-error: outputs read only an EscapedTopology, which only the preamble makes
      addClusterOutputs(stack, buildTopology(exampleCluster()), { mesosUrl: '', marathonUrl: '', bastionAddress: '' });
    assert.equal(typeof outputsFromUnescaped, 'function');
  });

  it("types a resolved cluster's cloud section as present only once its cloud is known (tsc checks the @ts-expect-error)", () => {
    // @ts-expect-error: on either cloud, aws may be absent
    const unchecked = (cluster: ResolvedCluster) => cluster.aws.region;
    const checked = (cluster: ResolvedCluster) => (cluster.cloud === 'aws' ? cluster.aws.region : cluster.openstack.region);
    assert.equal(typeof unchecked, 'function');
    assert.equal(checked(exampleCluster()), 'us-east-1');
  });
});
