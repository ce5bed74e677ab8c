import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { folderInUse } from './messages';

/**
 * One run at a time per sandbox folder: a second run would take the first one's emulator for a
 * leftover (its apply has written no state yet) and stop it. The lock names the running process;
 * a lock whose process is gone (a crash, a reboot) is taken over.
 */
export function lockSandbox(root: string): () => void {
  const file = join(root, 'run.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isSafeInteger(holder) && holder > 0 && isAlive(holder)) throw new Error(folderInUse(root, holder));
      rmSync(file, { force: true });
    }
  }
  throw new Error(folderInUse(root, undefined));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
