import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TerraformLocal, TerraformStack, Testing } from 'cdktf';
import { buildTopology } from '../../lib/model';
import { roundRobinMap } from '../../lib/terraform/round-robin-map';
import { exampleCluster } from '../support/aws-synth';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';

const missing = missingTool('terraform', 'terraform (see docs/testing.md)');

/** A configuration holding only the expression, as `local.agents`. */
function configuration(expression: string): string {
  const stack = new TerraformStack(Testing.app(), 'eval');
  new TerraformLocal(stack, 'agents', expression);
  return Testing.synth(stack);
}

/** What Terraform makes of the expression: `terraform console` on that configuration. */
function evaluate(expression: string): Record<string, Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'mesos-cluster-round-robin-'));
  writeFileSync(join(dir, 'main.tf.json'), configuration(expression));
  const result = spawnSync('terraform', ['console'], {
    cwd: dir,
    input: 'jsonencode(local.agents)\n',
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null' },
  });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(JSON.parse(result.stdout.trim()));
}

describe('agents by name as a Terraform expression', gateOn(missing), () => {
  it('names and places every agent exactly as the model does, wrapping around the zones', () => {
    assertToolAvailable(missing);
    const pool = buildTopology(exampleCluster({ pools: { 'jenkins-masters': { count: 7 } } })).pools.find((p) => p.name === 'jenkins-masters')!;
    const zones = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
    const evaluated = evaluate(roundRobinMap(pool.name, pool.count, { zone: zones, index: ['0', '1', '2'] }));
    assert.deepEqual(
      evaluated,
      Object.fromEntries(pool.agents.map((a) => [a.name, { zone: a.zone.zone, index: String(a.zone.index) }])),
    );
  });

  it('gives volume-backed agents the fixed addresses the model gives them', () => {
    assertToolAvailable(missing);
    const topology = buildTopology(exampleCluster({ pools: { 'jenkins-masters': { count: 7 } } }));
    const pool = topology.pools.find((p) => p.name === 'jenkins-masters')!;
    const address = { column: 'private_ip', subnetCidrs: topology.zones.map((z) => z.controlCidr), firstHost: pool.firstHost! };
    const evaluated = evaluate(roundRobinMap(pool.name, pool.count, { zone: topology.zones.map((z) => z.zone) }, address));
    assert.deepEqual(evaluated, Object.fromEntries(pool.agents.map((a) => [a.name, { zone: a.zone.zone, private_ip: a.privateIp }])));
  });

  it('growing the count adds keys and leaves every existing entry as it was', () => {
    assertToolAvailable(missing);
    const columns = { zone: ['a', 'b'] };
    const before = evaluate(roundRobinMap('p', 3, columns));
    const after = evaluate(roundRobinMap('p', 5, columns));
    assert.deepEqual(Object.keys(after).filter((k) => !(k in before)), ['p-4', 'p-5']);
    for (const [name, entry] of Object.entries(before)) assert.deepEqual(after[name], entry, name);
  });

  it('is the same text at 3 agents and at 3,000 but for the count', () => {
    const columns = { zone: ['a', 'b'] };
    assert.equal(configuration(roundRobinMap('p', 3000, columns)), configuration(roundRobinMap('p', 3, columns)).replace('range(0, 3, 1)', 'range(0, 3000, 1)'));
  });
});
