import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Patch } from '../support/yaml-patch';
import { diffAddresses as diff } from '../support/address-diff';
import { exampleOpenstackCluster, SynthesizedOpenstackStack, synthOpenstack } from '../support/openstack-synth';

/**
 * Every resource instance and output of a synthesized stack by address, as its exact JSON text.
 * A `for_each` block is one entry for its shared arguments (`type.name`) and one per key
 * (`type.name["builds-3"]`) holding that agent's `each.value`: what Terraform plans per instance.
 */
function addresses(patch: Patch): Map<string, string> {
  const json: SynthesizedOpenstackStack = synthOpenstack(exampleOpenstackCluster(patch));
  const out = new Map<string, string>();
  for (const [type, byName] of Object.entries(json.resource)) {
    for (const [name, config] of Object.entries(byName)) {
      const { for_each: forEach, ...shared } = config;
      out.set(`${type}.${name}`, JSON.stringify(shared));
      if (forEach === undefined) continue;
      const local = /^\$\{local\.([^}]+)\}$/.exec(forEach)?.[1];
      assert.ok(local !== undefined, `${type}.${name} iterates over a local, got ${JSON.stringify(forEach)}`);
      for (const [key, value] of Object.entries(json.locals[local] as Record<string, unknown>)) out.set(`${type}.${name}["${key}"]`, JSON.stringify(value));
    }
  }
  for (const [name, config] of Object.entries(json.output)) out.set(`output.${name}`, JSON.stringify(config));
  return out;
}


const agentsOf = (pool: string, types: readonly string[], numbers: readonly number[]) =>
  numbers.flatMap((n) => types.map((type) => `${type}.pool-${pool}_${type === 'openstack_networking_port_v2' ? 'port' : type === 'openstack_compute_instance_v2' ? 'instance' : type === 'openstack_blockstorage_volume_v3' ? 'data' : 'data-attachment'}["${pool}-${n}"]`)).sort();

describe('OpenStack: growing a pool changes only that pool', () => {
  const base = addresses({});

  it('a pool without volumes: only the new agents\' ports and servers are added, every other byte stays', () => {
    const grown = addresses({ pools: { builds: { count: 9 } } });
    assert.deepEqual(diff(base, grown), {
      added: agentsOf('builds', ['openstack_networking_port_v2', 'openstack_compute_instance_v2'], [7, 8, 9]),
      removed: [],
      changed: [],
    });
  });

  it('a pool with volumes: new ports, servers, volumes and attachments, nothing else touched', () => {
    const grown = addresses({ pools: { 'jenkins-masters': { count: 5 } } });
    const types = ['openstack_networking_port_v2', 'openstack_compute_instance_v2', 'openstack_blockstorage_volume_v3', 'openstack_compute_volume_attach_v2'];
    assert.deepEqual(diff(base, grown), { added: agentsOf('jenkins-masters', types, [4, 5]), removed: [], changed: [] });
  });

  it('keeps one block per pool however large the count: the JSON grows by the agents map only', () => {
    const size = (count: number) => JSON.stringify(synthOpenstack(exampleOpenstackCluster({ pools: { builds: { count } } })).resource).length;
    assert.equal(size(60), size(6), 'the resource blocks do not grow with the count');
  });
});
