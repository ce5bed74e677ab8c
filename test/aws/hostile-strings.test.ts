import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { assertHostileStringsHandled, INTERPOLATED_PAYLOAD, stringSlots, terraformStrings } from '../support/hostile-strings';
import schema from '../../clusters/cluster.schema.json';
import { joinPath, ResolvedCluster } from '../../lib/model';
import { decodeUserData } from '../../lib/aws/user-data';
import { EXAMPLE_FILE, exampleCluster, synthAws, synthAwsToDisk } from '../support/aws-synth';
import { offlineTerraformUnavailable, prepareOfflineWorkspace, terraformPlan } from '../support/offline-terraform';
import { ReattachedProvider, startReattachedProvider } from '../support/reattached-provider';
import { assertToolAvailable, gateOn } from '../support/tool-gate';

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

/**
 * The second line of defence: a cluster whose strings got past validation (built here without
 * it) still reaches the plan literally. Each field carries its own file read, so that one that
 * Terraform evaluated would fail the plan (no such file) and one that got lost would be missing.
 */
function poisoned(): { cluster: ResolvedCluster; markers: string[] } {
  const markers: string[] = [];
  const mark = (value: string) => {
    const marker = `\${file("/nonexistent/m${markers.length}")}%{ if true }`;
    markers.push(`${value}${marker}`);
    return `${value}${marker}`;
  };
  const base = exampleCluster();
  const cluster: ResolvedCluster = {
    ...base,
    image: mark(base.image),
    sshKey: { name: mark(base.sshKey.name), publicKey: mark('ssh-ed25519 AAAA') },
    zookeeper: { ...base.zookeeper, size: mark(base.zookeeper.size) },
    masters: { ...base.masters, size: mark(base.masters.size) },
    marathon: { ...base.marathon, size: mark(base.marathon.size) },
    bastion: { ...base.bastion, size: mark(base.bastion.size) },
    pools: base.pools.map((pool) => ({
      ...pool,
      size: mark(pool.size),
      mesosRole: mark(pool.mesosRole),
      attributes: { ...pool.attributes, rack: mark('r') },
      volume: pool.volume && { ...pool.volume, mountPath: mark(pool.volume.mountPath) },
    })),
    tags: { ...base.tags, [mark('key')]: mark('value') },
    aws: { ...base.aws, region: base.aws.region, rootDeviceName: mark(base.aws.rootDeviceName), certificateArn: mark(base.aws.certificateArn) },
  };
  return { cluster, markers };
}

describe('strings that got past validation reach Terraform literally', () => {
  const { cluster, markers } = poisoned();
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

  const missing = offlineTerraformUnavailable();
  describe('under real Terraform', gateOn(missing), () => {
    let planned = '';
    let provider: ReattachedProvider | undefined;
    before(async () => {
      assertToolAvailable(missing);
      // A local backend: an S3 one would need the network at init.
      const workspace = prepareOfflineWorkspace(synthAwsToDisk(cluster));
      // One provider process for plan and show, instead of three for the plan and one for show.
      provider = await startReattachedProvider(workspace.dir, workspace.env);
      planned = JSON.stringify(terraformPlan({ dir: workspace.dir, env: { ...workspace.env, ...provider.env } }).resource_changes);
    });
    after(async () => {
      await provider?.stop();
    });
    it('plans without evaluating any of them, each value literal in the plan', () => {
      const values: string[] = [];
      JSON.parse(planned, (_key, value) => (typeof value === 'string' && values.push(value), value));
      const unpacked = values.map((v) => {
        try {
          return decodeUserData(v);
        } catch {
          return '';
        }
      });
      // User-data is compressed, and the plan holds it as given (user_data_base64, launch templates).
      const notInPlan = markers.filter((m) => !values.some((v) => v.includes(m)) && !unpacked.some((v) => v.includes(m)));
      assert.deepEqual(notInPlan, []);
    });
  });
});
