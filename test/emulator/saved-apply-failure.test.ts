/**
 * lib/emulator/saved-apply.ts when the apply fails: the callers that waited for it fail at once
 * with its error instead of each trying the apply again in turn; a failure from before a caller
 * began waiting (an earlier run's) stops no one. Terraform is a stand-in whose `apply` fails, so
 * the test costs moto starts, not an apply.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { motoUnavailable } from '../../lib/emulator/moto-server';
import { EmulatorWorkspace } from '../../lib/emulator/moto-workspace';
import { applyOrRestore, SavedApplyOptions, savedApplyKey } from '../../lib/emulator/saved-apply';
import { offlineTerraformUnavailable } from '../support/offline-terraform';
import { assertToolAvailable, gateOn } from '../support/tool-gate';

const missing = motoUnavailable() ?? offlineTerraformUnavailable();

describe('a saved apply (lib/emulator/saved-apply.ts), when the apply fails', gateOn(missing), () => {
  const stackDir = mkdtempSync(join(tmpdir(), 'mesos-cluster-failing-stack-'));
  writeFileSync(join(stackDir, 'cdk.tf.json'), JSON.stringify({ resource: { aws_vpc: { main: { cidr_block: '10.41.0.0/16' } } } }));
  const root = mkdtempSync(join(tmpdir(), 'mesos-cluster-saved-applies-'));
  let applies = 0;
  /** A Terraform whose every apply fails, slowly enough that the second caller is waiting by then. */
  const failingTerraform: SavedApplyOptions['terraform'] = async (_workspace: EmulatorWorkspace, args: readonly string[]) => {
    if (args[0] !== 'apply') return '';
    applies += 1;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    throw new Error(`terraform apply failed (attempt ${applies})`);
  };
  const options: SavedApplyOptions = { env: process.env, terraform: failingTerraform, root };
  after(() => {
    rmSync(stackDir, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  });

  it("a caller that waited for the failed apply fails at once with that apply's error; a failure from before a caller came is tried again", { timeout: 300_000 }, async () => {
    assertToolAvailable(missing);
    // An earlier run's failure: the first caller below must try the apply again, not fail with it.
    const saved = join(root, savedApplyKey(stackDir, options));
    writeFileSync(`${saved}.failed`, 'an earlier run failed');
    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(`${saved}.failed`, anHourAgo, anHourAgo);

    const [first, waited] = await Promise.allSettled([applyOrRestore(stackDir, options), applyOrRestore(stackDir, options)]);
    assert.equal(first.status, 'rejected');
    const firstError = (first as PromiseRejectedResult).reason as Error;
    assert.equal(firstError.message, 'terraform apply failed (attempt 1)', 'the first caller applied (an earlier failure stops no one)');
    assert.equal(waited.status, 'rejected');
    const waitedError = (waited as PromiseRejectedResult).reason as Error;
    assert.match(waitedError.message, /^the shared apply of this stack failed in another process while this one waited for it:\n/);
    assert.ok(waitedError.message.endsWith(firstError.message), waitedError.message);
    assert.equal(applies, 1, 'the waiting caller did not apply again');
    assert.equal(existsSync(saved), false, 'nothing saved');
  });
});
