import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import schema from '../../clusters/cluster.schema.json';
import { CLOUD_RULES } from '../../lib/cloud-rules';
import { ClusterFileError, parseClusterFile, ResolvedCluster } from '../../lib/model';
import { hostileFile, INTERPOLATED_PAYLOAD, PAYLOADS, stringSlots, terraformStrings } from '../support/hostile-strings';
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
    const accepted: string[] = [];
    for (const slot of stringSlots(schema)) {
      for (const payload of PAYLOADS) {
        const { text, path } = hostileFile(exampleData, slot, payload);
        let cluster: ResolvedCluster;
        try {
          cluster = parseClusterFile('hostile.yaml', text, CLOUD_RULES);
        } catch (error) {
          assert.ok(error instanceof ClusterFileError, `${path} ${JSON.stringify(payload)}: ${String(error)}`);
          // At the field, or at a section refused whole (the aws section).
          const named = error.problems.some((p) => p.path === path || path.startsWith(`${p.path}.`));
          assert.ok(named, `${path} ${JSON.stringify(payload)} refused elsewhere:\n${error.message}`);
          continue;
        }
        const { raw, literal } = terraformStrings(synthOpenstack(cluster));
        assert.ok(!raw.some((s) => INTERPOLATED_PAYLOAD.test(s)), `${path}: ${JSON.stringify(payload)} reaches Terraform unescaped`);
        if (!literal.some((s) => s.includes(payload))) accepted.push(path);
      }
    }
    // The editor hint is ignored: it is accepted and reaches no resource.
    assert.deepEqual([...new Set(accepted)], ['$schema']);
  });
});
