import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { withDirLock } from '../../lib/emulator/dir-lock';

const lockIn = () => join(mkdtempSync(join(tmpdir(), 'mesos-cluster-dir-lock-')), 'lock');

describe('withDirLock: one holder at a time across processes', () => {
  it('a second caller runs only after the first released the lock, and the lock is gone after both', async () => {
    const lock = lockIn();
    const events: string[] = [];
    const hold = (name: string) =>
      withDirLock(lock, { timeoutMs: 30_000, pollMs: 10 }, async () => {
        events.push(`${name} in`);
        await sleep(100);
        events.push(`${name} out`);
      });
    await Promise.all([hold('first'), hold('second')]);
    assert.deepEqual(events, ['first in', 'first out', 'second in', 'second out']);
    assert.equal(existsSync(lock), false);
  });

  it('a lock whose owner process has ended is taken over at once', async () => {
    const lock = lockIn();
    const ended = spawnSync(process.execPath, ['-e', '0']).pid!;
    mkdirSync(lock);
    writeFileSync(join(lock, 'owner'), `${ended}\n`);
    assert.equal(await withDirLock(lock, { timeoutMs: 5_000, pollMs: 10 }, async () => 'ran'), 'ran');
  });

  it('a lock held by a live process is waited for no longer than the timeout, and the message names the holder', async () => {
    const lock = lockIn();
    mkdirSync(lock);
    writeFileSync(join(lock, 'owner'), `${process.pid}\n`);
    let ran = false;
    await assert.rejects(
      withDirLock(lock, { timeoutMs: 200, pollMs: 20 }, async () => {
        ran = true;
      }),
      new RegExp(`^Error: gave up after 0.2 s waiting for ${lock}, held by process ${process.pid}$`),
    );
    assert.equal(ran, false);
    assert.equal(existsSync(lock), true, "the holder's lock is left alone");
  });
});
