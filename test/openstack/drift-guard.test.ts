import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SERVER_IGNORE_AFTER_CREATION } from '../../lib/openstack/drift-guard';
import { forceNewArguments } from '../support/openstack-schema';
import { Patch } from '../support/yaml-patch';
import { exampleOpenstackCluster, synthOpenstack } from '../support/openstack-synth';

const IMAGE_A = '0b8a7c6e-1f2d-4e3a-9b8c-7d6e5f4a3b2c';
const IMAGE_B = '9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const TYPE = 'openstack_compute_instance_v2';
const SERVER = 'servers_zookeeper-1_instance';

/** The top-level arguments of zookeeper-1 whose synthesized value differs between two cluster files. */
function changedArguments(before: Patch, after: Patch): string[] {
  const a = synthOpenstack(exampleOpenstackCluster(before)).resource[TYPE][SERVER];
  const b = synthOpenstack(exampleOpenstackCluster(after)).resource[TYPE][SERVER];
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]));
}

describe('OpenStack quorum servers ignore image, flavor and user-data drift', () => {
  const drift = {
    image: changedArguments({ image: IMAGE_A }, { image: IMAGE_B }),
    flavor: changedArguments({}, { zookeeper: { size: 'm2.medium' } }),
    // Two more Marathon servers: every node's /etc/hosts, so zookeeper-1's user-data, changes.
    'user-data': changedArguments({}, { marathon: { count: 5 } }),
  };
  const forceNew = forceNewArguments(TYPE);
  const ignored = synthOpenstack(exampleOpenstackCluster()).resource[TYPE][SERVER].lifecycle.ignore_changes as string[];

  it('each kind of drift does reach the server\'s arguments (so the guard is tested, not vacuous)', () => {
    assert.deepEqual(drift, { image: ['block_device'], flavor: ['flavor_name'], 'user-data': ['user_data'] });
  });

  it('every ForceNew argument (from the schema) that the drift changes is in ignore_changes, and so is the flavor (a resize restarts)', () => {
    for (const [kind, changed] of Object.entries(drift)) {
      for (const argument of changed) {
        if (forceNew.has(argument) || argument.startsWith('flavor_')) assert.ok(ignored.includes(argument), `${kind} drift changes ${argument}`);
      }
    }
    assert.ok(forceNew.has('user_data') && forceNew.has('block_device'), 'the schema marks them ForceNew');
  });

  it('the guard is the one list of the stack, on every quorum server', () => {
    const json = synthOpenstack(exampleOpenstackCluster());
    for (const [name, config] of Object.entries(json.resource[TYPE])) {
      if (name.startsWith('servers_')) assert.deepEqual(config.lifecycle.ignore_changes, [...SERVER_IGNORE_AFTER_CREATION], name);
    }
  });
});
