import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lockSandbox } from '../../lib/sandbox/sandbox-lock';

const folder = () => mkdtempSync(join(tmpdir(), 'mesos-cluster-sandbox-lock-'));

describe('one sandbox run per folder', () => {
  it('a second lock on a folder in use is refused, naming the running process; released, it can be taken again', () => {
    const dir = folder();
    const release = lockSandbox(dir);
    assert.throws(() => lockSandbox(dir), new RegExp(`^Error: ${dir} is in use by another sandbox run \\(pid ${process.pid}\\); wait for it to end, or give another folder with --dir$`));
    release();
    assert.equal(existsSync(join(dir, 'run.lock')), false);
    lockSandbox(dir)();
  });

  it('a lock left by a process that has ended is taken over', () => {
    const dir = folder();
    const ended = spawnSync('true');
    assert.ok(ended.pid !== undefined && ended.pid > 0);
    writeFileSync(join(dir, 'run.lock'), `${ended.pid}\n`);
    const release = lockSandbox(dir);
    release();
  });
});
