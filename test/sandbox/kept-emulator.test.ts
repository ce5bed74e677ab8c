import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { motoUnavailable } from '../../lib/emulator/moto-server';
import { answers, isLauncher, readRecord, writeRecord } from '../../lib/sandbox/emulator-record';
import { clearSandbox, hasState, reusableEmulator, startEmulator } from '../../lib/sandbox/kept-emulator';
import { SandboxLayout, sandboxLayout } from '../../lib/sandbox/sandbox-layout';
import { assertToolAvailable, gateOn } from '../support/tool-gate';

/** The emulator a sandbox run takes, as runSandbox composes it: what an earlier run left, else a new one. */
const emulatorFor = async (layout: SandboxLayout, say: (line: string) => void) => (await reusableEmulator(layout, say)) ?? startEmulator(layout, say);

const missing = motoUnavailable();
const quiet = () => {};

function scratchLayout() {
  return sandboxLayout(join(mkdtempSync(join(tmpdir(), 'mesos-cluster-sandbox-')), 'sandbox'));
}

describe('the record of a kept emulator', () => {
  it('a record that is not one (bad JSON, a pid of 1, an endpoint off loopback) reads as none', () => {
    const { record } = scratchLayout();
    mkdirSync(join(record, '..'), { recursive: true });
    for (const text of ['{', '{"pid":1,"port":80,"endpoint":"http://127.0.0.1:80"}', '{"pid":4242,"port":80,"endpoint":"http://192.0.2.1:80"}']) {
      writeFileSync(record, text);
      assert.equal(readRecord(record), undefined, text);
    }
    writeRecord(record, { pid: 4242, port: 80, endpoint: 'http://127.0.0.1:80' });
    assert.deepEqual(readRecord(record), { pid: 4242, port: 80, endpoint: 'http://127.0.0.1:80' });
  });
});

// Two emulator starts in all (each about 2.5 CPU-s): the second test takes up the emulator the first one started.
describe('what a sandbox run finds left by an earlier one (moto)', gateOn(missing), () => {
  const layouts: ReturnType<typeof sandboxLayout>[] = [];
  after(async () => {
    for (const layout of layouts) {
      await clearSandbox(layout);
      rmSync(layout.root, { recursive: true, force: true });
    }
  });

  it('a record naming a process that is not the emulator: that process is left alone, the leftovers are cleared', async () => {
    assertToolAvailable(missing);
    const layout = scratchLayout();
    layouts.push(layout);
    mkdirSync(layout.workspace, { recursive: true });
    writeFileSync(join(layout.workspace, 'terraform.tfstate'), '{}');
    const bystander = spawn('sleep', ['120'], { stdio: 'ignore' });
    try {
      writeRecord(layout.record, { pid: bystander.pid!, port: 9, endpoint: 'http://127.0.0.1:9' });
      const started = await emulatorFor(layout, quiet);
      assert.equal(started.reused, false);
      assert.equal(bystander.exitCode, null);
      assert.equal(bystander.signalCode, null, 'the bystander was not signalled');
      assert.equal(existsSync(join(layout.workspace, 'terraform.tfstate')), false, 'the stale state was removed');
      assert.deepEqual(readRecord(layout.record), started.record);
    } finally {
      bystander.kill();
    }
  });

  it('a live emulator with state is reused; without state it is stopped and replaced', async () => {
    assertToolAvailable(missing);
    // The folder the test before left: its emulator runs, and no apply has written state (an
    // interrupted first run). Run alone, this test starts that emulator itself.
    let layout = layouts.at(-1);
    if (layout === undefined || readRecord(layout.record) === undefined) {
      layout = scratchLayout();
      layouts.push(layout);
      mkdirSync(layout.root, { recursive: true });
      assert.equal((await emulatorFor(layout, quiet)).reused, false);
    }
    const first = readRecord(layout.record)!;
    assert.ok(isLauncher(first.pid) && (await answers(first.endpoint)));
    assert.equal(hasState(layout), false);
    // The next run starts afresh.
    const second = await emulatorFor(layout, quiet);
    assert.equal(second.reused, false);
    assert.notEqual(second.record.pid, first.pid);
    assert.equal(isLauncher(first.pid), false, 'the first emulator was stopped');
    mkdirSync(layout.workspace, { recursive: true });
    writeFileSync(join(layout.workspace, 'terraform.tfstate'), '{}');
    const third = await emulatorFor(layout, quiet);
    assert.deepEqual(third, { record: second.record, reused: true });
  });
});
