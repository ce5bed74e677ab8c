import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DirLockOptions {
  /** How long to wait for another process's lock before giving up. */
  readonly timeoutMs: number;
  /** @default 1000 */
  readonly pollMs?: number;
}

/**
 * Runs `work` holding a lock shared by every process on this machine: a directory, since mkdir
 * either creates it or fails, atomically. It names its owner; a lock whose owner is gone (a test
 * process killed mid-way) is taken over. Waiting is bounded by `timeoutMs`.
 */
export async function withDirLock<T>(lockDir: string, options: DirLockOptions, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (tryLock(lockDir)) break;
    if (ownerGone(lockDir)) {
      rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`gave up after ${options.timeoutMs / 1000} s waiting for ${lockDir}, held by process ${owner(lockDir) ?? '(unknown)'}`);
    await sleep(options.pollMs ?? 1000);
  }
  try {
    return await work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function tryLock(lockDir: string): boolean {
  try {
    mkdirSync(lockDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  writeFileSync(join(lockDir, 'owner'), `${process.pid}\n`);
  return true;
}

function owner(lockDir: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(join(lockDir, 'owner'), 'utf8'), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The owner's process has ended; a lock not yet naming its owner counts as gone only after a while. */
function ownerGone(lockDir: string): boolean {
  const pid = owner(lockDir);
  if (pid === undefined) {
    try {
      return Date.now() - statSync(lockDir).mtimeMs > 30_000;
    } catch {
      return false; // released meanwhile: the next mkdir takes it
    }
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
