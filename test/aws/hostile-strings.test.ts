import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { assertHostileStringsHandled, INTERPOLATED_PAYLOAD, stringSlots, terraformStrings } from '../support/hostile-strings';
import schema from '../../clusters/cluster.schema.json';
import { joinPath, ResolvedCluster } from '../../lib/model';
import { EXAMPLE_FILE, synthAws } from '../support/aws-synth';
import { poisonedCluster } from '../support/poisoned-aws-cluster';

/** The example, with an S3 backend, a public key and a suppression so that every key of the schema is in use. */
function exampleData(): any {
  const data = parse(readFileSync(EXAMPLE_FILE, 'utf8'));
  data.backend = { type: 's3', bucket: 'ci-state', region: 'us-east-1', key: 'ci/terraform.tfstate', dynamodbTable: 'tf-locks' };
  data.sshKey.publicKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ci';
  data.aws.rootDeviceName = '/dev/xvda';
  data.policy = { suppressions: [{ rule: 'no-public-ip', resource: 'aws_instance.bastion_instance', reason: 'the example keeps no suppression' }] };
  return data;
}

describe('hostile strings in every string field of the cluster file schema', () => {
  const slots = stringSlots(schema);

  it('finds every string field, keys of tags, pools and attributes included', () => {
    const paths = slots.map((s) => (s.kind === 'key' ? `${joinPath(...s.segments)}.<key>` : joinPath(...s.segments)));
    for (const path of ['image', 'sshKey.publicKey', 'pools.<key>', 'pools.jenkins-masters.size', 'pools.jenkins-masters.attributes.rack', 'tags.<key>', 'backend.dynamodbTable', 'aws.rootDeviceName', 'network.zones[0]']) {
      assert.ok(paths.includes(path), `${path} missing from ${paths.join(', ')}`);
    }
    assert.ok(slots.length >= 28, paths.join(', '));
  });

  it('refuses each with a line at its path, or carries it into the synthesized JSON literally', () => {
    const accepted = assertHostileStringsHandled(exampleData, slots, (cluster) => synthAws(cluster).json);
    // The editor hint is ignored: it is accepted and reaches no resource.
    assert.deepEqual(accepted, ['$schema']);
  });
});

describe('strings that got past validation reach Terraform literally', () => {
  const { cluster, markers } = poisonedCluster();
  const withBackend: ResolvedCluster = {
    ...cluster,
    backend: { type: 's3', bucket: 'b${file("/x")}', region: 'us-east-1%{ if x }', key: 'k${x}', dynamodbTable: 't${y}' },
  };

  it('escapes every one in the synthesized JSON, and unescaped each reads as given', () => {
    const { json } = synthAws(withBackend);
    const { raw, literal } = terraformStrings(json);
    assert.ok(!raw.some((s) => INTERPOLATED_PAYLOAD.test(s)), raw.filter((s) => INTERPOLATED_PAYLOAD.test(s)).join('\n'));
    for (const marker of markers) assert.ok(literal.some((s) => s.includes(marker)), `${JSON.stringify(marker)} is not in the stack`);
    assert.deepEqual(json.terraform.backend.s3, {
      bucket: 'b$${file("/x")}',
      region: 'us-east-1%%{ if x }',
      key: 'k$${x}',
      dynamodb_table: 't$${y}',
      encrypt: true,
    });
  });

  // Planned by the real Terraform, in the same plan as the example (test/aws/terraform-offline.test.ts).
});
