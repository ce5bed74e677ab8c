/**
 * applied-stack-snapshot.ts when the shared apply fails: the callers that waited for it fail at
 * once with its error instead of each trying the apply again in turn; a failure from before a
 * caller began waiting (an earlier run's) stops no one. The stack here fails at `terraform init`
 * (a Terraform version no one has), so the test costs one moto start, not an apply.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { motoUnavailable } from '../../lib/emulator/moto-server';
import { appliedStack, SNAPSHOT_ROOT, snapshotKey } from './applied-stack-snapshot';
import { offlineTerraformUnavailable } from './offline-terraform';
import { assertToolAvailable, gateOn } from './tool-gate';

const missing = offlineTerraformUnavailable() ?? motoUnavailable();
const INIT_FAILURE = /Unsupported Terraform Core version/;

describe('the shared apply, when it fails', gateOn(missing), () => {
  const stackDir = mkdtempSync(join(tmpdir(), 'mesos-cluster-failing-stack-'));
  // A key of its own (the run's id is part of the configuration), so no other run shares its save or its failure.
  writeFileSync(join(stackDir, 'cdk.tf.json'), JSON.stringify({ terraform: { required_version: '>= 99.0' }, locals: { run: randomUUID() } }));
  after(() => {
    if (missing === undefined) rmSync(join(SNAPSHOT_ROOT, `${snapshotKey(stackDir)}.failed`), { force: true });
    rmSync(stackDir, { recursive: true, force: true });
  });

  it("a caller that waited for the failed apply fails at once with that apply's error; a failure from before a caller came is tried again", { timeout: 300_000 }, async () => {
    assertToolAvailable(missing);
    // An earlier run's failure: the first caller below must try the apply again, not fail with it.
    const failure = join(SNAPSHOT_ROOT, `${snapshotKey(stackDir)}.failed`);
    mkdirSync(SNAPSHOT_ROOT, { recursive: true });
    writeFileSync(failure, 'an earlier run failed');
    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(failure, anHourAgo, anHourAgo);

    const [first, waited] = await Promise.allSettled([appliedStack(stackDir), appliedStack(stackDir)]);
    assert.equal(first.status, 'rejected');
    const firstError = (first as PromiseRejectedResult).reason as Error;
    assert.match(firstError.message, INIT_FAILURE, 'the first caller applied (an earlier failure stops no one)');
    assert.equal(waited.status, 'rejected');
    const waitedError = (waited as PromiseRejectedResult).reason as Error;
    assert.match(waitedError.message, /^the shared apply of this stack failed in another test process while this one waited for it:\n/);
    assert.ok(waitedError.message.endsWith(firstError.message), waitedError.message);
    assert.equal(existsSync(join(SNAPSHOT_ROOT, snapshotKey(stackDir))), false, 'nothing saved');
  });
});
