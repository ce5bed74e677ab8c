/**
 * lib/emulator/saved-apply.ts with a real moto and a stand-in for Terraform (its init links a
 * provider, its apply makes a VPC in moto and writes a state naming it): what is saved comes back,
 * and a save that is not whole is never used.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { folderManifest } from '../../lib/emulator/folder-manifest';
import { ec2Action } from '../../lib/emulator/moto-inventory';
import { motoUnavailable } from '../../lib/emulator/moto-server';
import { EmulatorWorkspace, MOTO_OVERRIDE_FILE } from '../../lib/emulator/moto-workspace';
import { AppliedStack, applyOrRestore, SavedApplyOptions, savedApplyKey } from '../../lib/emulator/saved-apply';
import { offlineTerraformUnavailable } from '../support/offline-terraform';
import { assertToolAvailable, gateOn } from '../support/tool-gate';

const missing = motoUnavailable() ?? offlineTerraformUnavailable();
const CIDR = '10.40.0.0/16';
const LINKED_PROVIDER = '.terraform/providers/registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64';
const INSTALLED_PROVIDER = '.terraform/providers/registry.terraform.io/hashicorp/tls/4.0.0/linux_amd64';

/** A synthesized stack of one VPC. */
function oneVpcStack(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mesos-cluster-saved-apply-stack-'));
  writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify({ resource: { aws_vpc: { main: { cidr_block: CIDR } } } }));
  return dir;
}

/** Every `<tag>value</tag>` in an EC2 answer. */
const all = (xml: string, tag: string) => [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]);

/**
 * Terraform's stand-in: `init` links one provider into a plugin cache and installs another as a
 * file; `apply` creates the VPC in the moto the override points at and writes a state naming it.
 */
function standInTerraform(calls: string[]): SavedApplyOptions['terraform'] {
  const cache = mkdtempSync(join(tmpdir(), 'mesos-cluster-saved-apply-cache-'));
  return async (workspace: EmulatorWorkspace, args: readonly string[]) => {
    calls.push(args[0]);
    if (args[0] === 'init') {
      mkdirSync(join(workspace.dir, LINKED_PROVIDER, '..'), { recursive: true });
      symlinkSync(cache, join(workspace.dir, LINKED_PROVIDER));
      mkdirSync(join(workspace.dir, INSTALLED_PROVIDER), { recursive: true });
      writeFileSync(join(workspace.dir, INSTALLED_PROVIDER, 'terraform-provider-tls'), 'a provider binary');
      writeFileSync(join(workspace.dir, '.terraform.lock.hcl'), '# locked\n');
    } else if (args[0] === 'apply') {
      // Where the provider would find moto: the override's endpoints block, else the environment.
      const endpoint = JSON.parse(readFileSync(join(workspace.dir, MOTO_OVERRIDE_FILE), 'utf8')).provider.aws[0].endpoints?.[0].ec2 ?? workspace.env.AWS_ENDPOINT_URL;
      const vpc = all(await ec2Action(endpoint, 'CreateVpc', { CidrBlock: CIDR }), 'vpcId')[0];
      writeFileSync(join(workspace.dir, 'terraform.tfstate'), JSON.stringify({ vpc }));
    }
    return '';
  };
}

/** An `onUnusable` that records the reason and ends the call there, for a test that needs nothing after it. */
class Told extends Error {}
const tellAndStop = (reasons: string[]) => (reason: string) => {
  reasons.push(reason);
  throw new Told(reason);
};

describe('a saved apply (lib/emulator/saved-apply.ts) on a real moto', gateOn(missing), () => {
  const stack = oneVpcStack();
  const root = mkdtempSync(join(tmpdir(), 'mesos-cluster-saved-applies-'));
  const calls: string[] = [];
  const options = (overrides: Partial<SavedApplyOptions> = {}): SavedApplyOptions => ({ env: process.env, terraform: standInTerraform(calls), root, ...overrides });
  const started: AppliedStack[] = [];
  const use = async (result: Promise<AppliedStack>) => {
    const applied = await result;
    started.push(applied);
    return applied;
  };
  let first: AppliedStack;
  let saved: string;

  /** What earlier runs left beside the saves, two days old unless named recent: a save's making prunes the old. */
  const leftovers = { oldSave: `${'a'.repeat(24)}`, oldFailure: `${'b'.repeat(24)}.failed`, oldLock: `${'c'.repeat(24)}.lock`, recentFailure: `${'d'.repeat(24)}.failed`, notOurs: 'notes.txt' };

  function leaveLeftovers(): void {
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3_600_000);
    for (const [what, name] of Object.entries(leftovers)) {
      const path = join(root, name);
      if (what === 'oldSave' || what === 'oldLock') mkdirSync(path);
      else writeFileSync(path, 'left by an earlier run');
      if (what !== 'recentFailure') utimesSync(path, twoDaysAgo, twoDaysAgo);
    }
  }

  before(async () => {
    assertToolAvailable(missing);
    leaveLeftovers();
    first = await use(applyOrRestore(stack, options()));
    saved = join(root, savedApplyKey(stack, { env: process.env }));
  });

  after(async () => {
    for (const { moto } of started) await moto.stop();
  });

  /** A copy of the first save under a root of its own, for a test to spoil. */
  function copyOfSave(): { root: string; saved: string } {
    const copyRoot = mkdtempSync(join(tmpdir(), 'mesos-cluster-saved-applies-'));
    const copy = join(copyRoot, savedApplyKey(stack, { env: process.env }));
    cpSync(saved, copy, { recursive: true, verbatimSymlinks: true });
    return { root: copyRoot, saved: copy };
  }

  it('the first caller applies once and saves; a second restores without applying, on a moto of its own holding the VPC', async () => {
    assert.equal(first.appliedHere, true);
    assert.deepEqual(calls, ['init', 'apply']);
    const second = await use(applyOrRestore(stack, options()));
    assert.equal(second.appliedHere, false);
    assert.deepEqual(calls, ['init', 'apply'], 'no Terraform run for the restore');
    assert.notEqual(second.moto.endpoint, first.moto.endpoint);
    const { vpc } = JSON.parse(readFileSync(join(second.workspace.dir, 'terraform.tfstate'), 'utf8'));
    assert.deepEqual(all(await ec2Action(second.moto.endpoint, 'DescribeVpcs', { 'VpcId.1': vpc }), 'vpcId'), [vpc]);
    const override = JSON.parse(readFileSync(join(second.workspace.dir, MOTO_OVERRIDE_FILE), 'utf8'));
    assert.equal(override.provider.aws[0].endpoints[0].ec2, second.moto.endpoint, "the stack points at the restorer's own moto");
  });

  it('making a save removes old saves, failed-apply markers and locks unused for a day; a recent marker and files of other names stay', () => {
    const { oldSave, oldFailure, oldLock, recentFailure, notOurs } = leftovers;
    assert.deepEqual(Object.fromEntries([oldSave, oldFailure, oldLock, recentFailure, notOurs].map((name) => [name, existsSync(join(root, name))])), {
      [oldSave]: false,
      [oldFailure]: false,
      [oldLock]: false,
      [recentFailure]: true,
      [notOurs]: true,
    });
  });

  it('saves a provider linked into a plugin cache, not one installed as a file', () => {
    assert.ok(existsSync(join(saved, 'workspace', LINKED_PROVIDER)));
    assert.equal(existsSync(join(saved, 'workspace', INSTALLED_PROVIDER)), false);
  });

  it('a truncated moto state is not used: the caller is told which file, the save is applied afresh and then restores', async () => {
    const copy = copyOfSave();
    writeFileSync(join(copy.saved, 'moto.pickle'), readFileSync(join(copy.saved, 'moto.pickle')).subarray(0, 100));
    const reasons: string[] = [];
    const own: string[] = [];
    const again = await use(applyOrRestore(stack, options({ root: copy.root, terraform: standInTerraform(own), onUnusable: (r) => reasons.push(r) })));
    assert.deepEqual(reasons, [`${copy.saved}: moto.pickle does not match the checksum saved with it (changed or truncated since)`]);
    assert.deepEqual(own, ['init', 'apply']);
    assert.equal(again.appliedHere, true);
    // The maker runs on a restore of its fresh save, like any later caller (it throws when that save cannot be restored).
    const { vpc } = JSON.parse(readFileSync(join(again.workspace.dir, 'terraform.tfstate'), 'utf8'));
    assert.deepEqual(all(await ec2Action(again.moto.endpoint, 'DescribeVpcs', { 'VpcId.1': vpc }), 'vpcId'), [vpc], 'the restored moto holds the fresh apply');
  });

  it('with endpointsFromEnvironment, the apply and the restore find moto through AWS_ENDPOINT_URL, not an endpoints block, and the save has a key of its own', async () => {
    const envRoot = mkdtempSync(join(tmpdir(), 'mesos-cluster-saved-applies-'));
    const own: string[] = [];
    const fromEnvironment = await use(applyOrRestore(stack, options({ root: envRoot, terraform: standInTerraform(own), endpointsFromEnvironment: true })));
    assert.deepEqual(own, ['init', 'apply']);
    const key = savedApplyKey(stack, { env: process.env, endpointsFromEnvironment: true });
    assert.notEqual(key, savedApplyKey(stack, { env: process.env }), 'a save with an endpoints block is never restored without one, nor the other way');
    assert.ok(existsSync(join(envRoot, key)));
    const override = JSON.parse(readFileSync(join(fromEnvironment.workspace.dir, MOTO_OVERRIDE_FILE), 'utf8'));
    assert.equal(override.provider.aws[0].endpoints, undefined);
    assert.equal(fromEnvironment.workspace.env.AWS_ENDPOINT_URL, fromEnvironment.moto.endpoint, "the environment names the restorer's own moto");
    // The stand-in's apply found moto through the environment alone: the VPC it made came back in the restore.
    const { vpc } = JSON.parse(readFileSync(join(fromEnvironment.workspace.dir, 'terraform.tfstate'), 'utf8'));
    assert.deepEqual(all(await ec2Action(fromEnvironment.moto.endpoint, 'DescribeVpcs', { 'VpcId.1': vpc }), 'vpcId'), [vpc]);
  });

  it('a save without its manifest (cut short) is not used, and is discarded', async () => {
    const copy = copyOfSave();
    rmSync(join(copy.saved, 'manifest.json'));
    const reasons: string[] = [];
    await assert.rejects(applyOrRestore(stack, options({ root: copy.root, onUnusable: tellAndStop(reasons) })), Told);
    assert.deepEqual(reasons, [`${copy.saved} has no readable manifest (a save cut short or written by another version)`]);
    assert.equal(existsSync(copy.saved), false);
  });

  it('a save whose state moto cannot load, though it matches its manifest, is not used', async () => {
    const copy = copyOfSave();
    writeFileSync(join(copy.saved, 'moto.pickle'), 'not a pickle');
    writeFileSync(join(copy.saved, 'manifest.json'), JSON.stringify(folderManifest(copy.saved, (path) => path === 'manifest.json')));
    const reasons: string[] = [];
    await assert.rejects(applyOrRestore(stack, options({ root: copy.root, onUnusable: tellAndStop(reasons) })), Told);
    assert.equal(reasons.length, 1);
    assert.match(reasons[0], new RegExp(`^moto could not start from ${copy.saved}: moto exited with 1 before listening; see `));
    assert.equal(existsSync(copy.saved), false);
  });
});
