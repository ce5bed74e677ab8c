import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import schema from '../../clusters/cluster.schema.json';
import { assertHostileStringsHandled, stringSlots } from '../support/hostile-strings';
import { OPENSTACK_EXAMPLE_FILE, synthOpenstack } from '../support/openstack-synth';

/** The OpenStack example with every optional string of its section, a public key, an S3 backend and a suppression in use. */
function exampleData(): any {
  const data = parse(readFileSync(OPENSTACK_EXAMPLE_FILE, 'utf8'));
  data.backend = { type: 's3', bucket: 'ci-state', region: 'us-east-1', key: 'ci/terraform.tfstate', dynamodbTable: 'tf-locks' };
  data.sshKey.publicKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ci';
  Object.assign(data.openstack, { floatingIpPool: 'public', volumeType: 'ssd', region: 'RegionOne' });
  data.openstack.loadBalancer.provider = 'amphora';
  data.policy = { suppressions: [{ rule: 'no-public-ip', resource: 'openstack_compute_instance_v2.bastion_instance', reason: 'the example keeps no suppression' }] };
  return data;
}

describe('OpenStack: hostile strings in every string field of the cluster file schema', () => {
  it('refuses each with a line at its path, or carries it into the synthesized JSON literally', () => {
    const accepted = assertHostileStringsHandled(exampleData, stringSlots(schema), synthOpenstack);
    // The editor hint is ignored: it is accepted and reaches no resource.
    assert.deepEqual(accepted, ['$schema']);
  });
});
