/**
 * The S3 backend with a DynamoDB lock table, on moto: the backend block as the stack synthesizes
 * it (lib/terraform/backend.ts), pointed at the emulator in an override. Two people apply at
 * once; then the cloud drifts under the state; the state bucket and table are checked with
 * `npm run check:state-backend`. One apply of a cut-down stack serves all three.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MOTO_IMAGE } from '../../lib/emulator/moto-quirks';
import { MotoServer, motoUnavailable, startMoto } from '../../lib/emulator/moto-server';
import { EmulatorWorkspace, emulatorWorkspace, MOTO_OVERRIDE_FILE, useStack } from '../../lib/emulator/moto-workspace';
import { checkChange } from '../../lib/plan/plan-verdict';
import { DEFAULT_CHECK_OPTIONS } from '../../lib/plan/checks';
import { TerraformPlan } from '../../lib/plan/plan-json';
import { runTerraform, terraformOrThrow, TerraformOutput } from '../../lib/plan/terraform-run';
import { awsCliEnv } from '../support/aws-cli';
import { EXAMPLE_FILE, exampleCluster, synthAwsToDisk } from '../support/aws-synth';
import { cutDownStack } from '../support/cut-down-stack';
import { revokeIngressRule, terminateInstance } from '../support/moto-inventory';
import { bucketEncrypted, createBucket, createTable, objectText, objectVersions, scanStrings } from '../support/moto-state-backend';
import { offlineTerraformEnv, offlineTerraformUnavailable } from '../support/offline-terraform';
import { schemaTypesFor } from '../support/provider-schema-types';
import { ReattachedProvider, startMirroredProvider } from '../support/reattached-provider';
import { runTsCli } from '../support/run-cli';
import { assertToolAvailable, gateOn, missingTool } from '../support/tool-gate';
import { patchYaml } from '../support/yaml-patch';

const missing = offlineTerraformUnavailable() ?? motoUnavailable() ?? missingTool('aws', 'awscli');
const ROOT = join(__dirname, '..', '..');
const BUCKET = 'faults-state';
const TABLE = 'faults-lock';
const BACKEND = { type: 's3', bucket: BUCKET, region: 'us-east-1', dynamodbTable: TABLE };
const KEY = 'faults/terraform.tfstate';
const APPLY = ['apply', '-auto-approve', '-input=false', '-no-color'];
/** The emulator's own stand-in resources (moto-quirks.ts), not the stack's. */
const MOTO_STAND_IN = 'moto-stand-in';
const DRIFT_RULE = 'aws_vpc_security_group_ingress_rule.security-groups_zookeeper-zookeeper-client-from-mesos-master';

/** The synthesized S3 backend, kept whole, with the emulator's endpoints and dummy credentials added. */
function pointBackendAtMoto(workspace: EmulatorWorkspace, stackDir: string, endpoint: string): void {
  const synthesized = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')).terraform.backend.s3;
  assert.deepEqual({ bucket: synthesized.bucket, key: synthesized.key, table: synthesized.dynamodb_table, encrypt: synthesized.encrypt }, { bucket: BUCKET, key: KEY, table: TABLE, encrypt: true });
  const file = join(workspace.dir, MOTO_OVERRIDE_FILE);
  const override = JSON.parse(readFileSync(file, 'utf8'));
  override.terraform.backend = {
    s3: {
      ...synthesized,
      endpoints: { s3: endpoint, dynamodb: endpoint, sts: endpoint },
      use_path_style: true,
      access_key: 'testing',
      secret_key: 'testing',
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
    },
  };
  writeFileSync(file, JSON.stringify(override, null, 2));
}

/** The resources of a state file's text. */
function stateResources(text: string): { type: string; name: string; instances: { attributes: any }[] }[] {
  return JSON.parse(text).resources;
}

/** A second operator's checkout: the same configuration and `.terraform`, its own folder. */
function copyOf(workspace: EmulatorWorkspace): EmulatorWorkspace {
  const dir = mkdtempSync(join(tmpdir(), 'mesos-cluster-operator-'));
  cpSync(workspace.dir, dir, { recursive: true, verbatimSymlinks: true });
  return { ...workspace, dir };
}

/** Starts `terraform apply`; resolves `holding` once it prints its first create (it holds the lock by then). */
function startApply(workspace: EmulatorWorkspace, args: string[] = []): { holding: Promise<void>; done: Promise<TerraformOutput & { endedAt: number }> } {
  const child = spawn('terraform', [...APPLY, ...args], { cwd: workspace.dir, env: workspace.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let signal: () => void = () => undefined;
  const holding = new Promise<void>((resolve) => (signal = resolve));
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
    if (/Creating\.\.\./.test(stdout)) signal();
  });
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<TerraformOutput & { endedAt: number }>((resolve) => child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr, endedAt: Date.now() })));
  return { holding, done };
}

describe('state on the S3 backend with a DynamoDB lock (moto)', gateOn(missing), () => {
  let moto: MotoServer;
  let provider: ReattachedProvider | undefined;
  let workspace: EmulatorWorkspace;
  let configured = 0;

  before(async () => {
    assertToolAvailable(missing);
    moto = await startMoto();
    await createBucket(moto.endpoint, BUCKET, { versioned: true, encryption: 'aws:kms' });
    await createTable(moto.endpoint, TABLE, 'LockID');
    const full = synthAwsToDisk(exampleCluster({ name: 'faults', image: MOTO_IMAGE, backend: BACKEND }));
    // The three ZooKeeper servers, their rules and what they need: an apply that holds the lock for a while.
    const stackDir = cutDownStack(full, (type, name) => (type === 'aws_instance' && /^zookeeper-\d_/.test(name)) || (type === 'aws_vpc_security_group_ingress_rule' && /_zookeeper-zookeeper-/.test(name)));
    configured = Object.values(JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')).resource as Record<string, object>).reduce((n, blocks) => n + Object.keys(blocks).length, 0);
    workspace = emulatorWorkspace(offlineTerraformEnv());
    // The provider finds moto through its environment: no endpoints block to validate at each plan.
    useStack(workspace, stackDir, moto.endpoint, { endpointsFromEnvironment: true });
    pointBackendAtMoto(workspace, stackDir, moto.endpoint);
    // Every Terraform run, init and the three operators' included, talks to one provider process
    // (the mirror's: an init then installs none), which serves Terraform the schema of the stack's
    // own types only (docs/test-lanes.md).
    provider = await startMirroredProvider(workspace.env, { schemaTypes: schemaTypesFor(workspace.dir) });
    workspace = { ...workspace, env: { ...workspace.env, ...provider.env } };
    await terraformOrThrow(workspace, ['init', '-input=false', '-no-color']);
  });

  after(async () => {
    await provider?.stop();
    await moto?.stop();
  });

  it('two applies at once: the second stops with the lock message or waits for the first; state whole afterwards', { timeout: 900_000 }, async () => {
    const [second, third] = [copyOf(workspace), copyOf(workspace)];
    const first = startApply(workspace);
    await first.holding;
    // With refresh: its plan reads back from moto every resource of the state the first apply
    // wrote, so "0 added, 0 changed" also says the state and the cloud agree (no plan after it).
    const waiting = startApply(third, ['-lock-timeout=10m']);
    const refused = await runTerraform(second, [...APPLY, '-lock-timeout=0s']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Error acquiring the state lock/);
    assert.match(refused.stderr, new RegExp(`Path:\\s+${BUCKET}/${KEY}`));
    const [firstDone, waited] = await Promise.all([first.done, waiting.done]);
    assert.equal(firstDone.code, 0, firstDone.stderr);
    assert.equal(waited.code, 0, waited.stderr);
    assert.ok(waited.endedAt >= firstDone.endedAt, 'the waiting apply ended after the first');
    assert.match(waited.stdout, /Resources: 0 added, 0 changed, 0 destroyed/, 'it applied against the state the first one wrote, and the cloud matches it');
    const refreshed = [...waited.stdout.matchAll(/^(\S+): Refreshing state\.\.\./gm)].map((m) => m[1]).filter((address) => !address.includes(MOTO_STAND_IN));
    assert.equal(refreshed.length, configured, `it read back every resource the first one created: ${refreshed.join(' ')}`);

    // The state object as the backend stores it (what `state list` reads, without a Terraform start).
    const listed = stateResources(await objectText(moto.endpoint, BUCKET, KEY)).flatMap((r) => r.instances.map(() => `${r.type}.${r.name}`)).filter((address) => !address.includes(MOTO_STAND_IN));
    assert.equal(listed.length, configured, listed.join(' '));
    assert.ok((await objectVersions(moto.endpoint, BUCKET, KEY)).length >= 1, 'the state object is in the bucket');
    assert.deepEqual(await scanStrings(moto.endpoint, TABLE, 'LockID'), [`${BUCKET}/${KEY}-md5`], 'no lock left behind, only the state digest');
  });

  it('drift (a server terminated, a rule removed by hand): the plan shows exactly that, and check-change names both', { timeout: 600_000 }, async () => {
    // The raw state, read from the bucket as `state pull` would (`show -json` loads the provider's whole schema).
    const state = stateResources(await objectText(moto.endpoint, BUCKET, KEY));
    const attributes = (address: string) => state.find((r) => `${r.type}.${r.name}` === address)!.instances[0].attributes;
    const server = attributes('aws_instance.zookeeper-2_instance');
    const rule = attributes(DRIFT_RULE);
    await terminateInstance(moto.endpoint, server.id);
    await revokeIngressRule(moto.endpoint, rule.security_group_id, rule.id);
    await terraformOrThrow(workspace, ['plan', '-input=false', '-no-color', '-out=drift.plan']);
    const plan = JSON.parse(await terraformOrThrow(workspace, ['show', '-json', 'drift.plan'])) as TerraformPlan;
    const deleted = (plan.resource_drift ?? []).filter((d) => d.change.actions.includes('delete')).map((d) => d.address).sort();
    assert.deepEqual(deleted, ['aws_instance.zookeeper-2_instance', DRIFT_RULE].sort());
    const acted = (plan.resource_changes ?? []).filter((c) => !c.change.actions.every((a) => a === 'no-op' || a === 'read'));
    assert.deepEqual(acted.map((c) => `${c.address} ${c.change.actions.join('+')}`).sort(), [`aws_instance.zookeeper-2_instance create`, `${DRIFT_RULE} create`].sort());
    const findings = checkChange(plan, DEFAULT_CHECK_OPTIONS);
    assert.deepEqual(findings.map((f) => `${f.check} ${f.address}`).sort(), [`drifted-outside-terraform aws_instance.zookeeper-2_instance`, `drifted-outside-terraform ${DRIFT_RULE}`].sort());
    assert.match(findings.find((f) => f.address.startsWith('aws_instance'))!.message, /^quorum server zookeeper-2 was deleted outside Terraform, so this plan creates it again/);
  });

  it('check:state-backend passes the versioned, encrypted bucket and its LockID table', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'state-backend-')), 'faults.yaml');
    writeFileSync(file, patchYaml(readFileSync(EXAMPLE_FILE, 'utf8'), { backend: BACKEND }));
    const run = await runTsCli(join(ROOT, 'lib', 'cli', 'check-state-backend.ts'), [file], { env: awsCliEnv(moto.endpoint) });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, `ok: s3://${BUCKET} is versioned and encrypted, ${TABLE} locks on LockID\n`);
  });

  it('check:state-backend names an unversioned bucket and a table with the wrong key, one line each, exit 1', async () => {
    await createBucket(moto.endpoint, 'faults-plain');
    await createTable(moto.endpoint, 'faults-wrong', 'id');
    const file = join(mkdtempSync(join(tmpdir(), 'state-backend-')), 'faults.yaml');
    writeFileSync(file, patchYaml(readFileSync(EXAMPLE_FILE, 'utf8'), { backend: { ...BACKEND, bucket: 'faults-plain', dynamodbTable: 'faults-wrong' } }));
    const run = await runTsCli(join(ROOT, 'lib', 'cli', 'check-state-backend.ts'), [file], { env: awsCliEnv(moto.endpoint) });
    assert.equal(run.status, 1);
    const lines = run.stdout.trim().split('\n');
    assert.match(lines[0], /^s3:\/\/faults-plain: versioning is off; .*put-bucket-versioning --bucket faults-plain/);
    assert.ok(lines.some((l) => /^dynamodb table faults-wrong: hash key is id \(S\); .*LockID/.test(l)), run.stdout);
    // AWS encrypts every new bucket (SSE-S3) since 2023; where the emulator does not, the check says so.
    assert.equal(lines.length, (await bucketEncrypted(moto.endpoint, 'faults-plain')) ? 2 : 3, run.stdout);
    assert.equal(run.stderr, '');
  });
});
