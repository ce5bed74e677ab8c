import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { constants } from 'node:fs';
import { messages } from './messages';
import { printable } from './problems';

/**
 * The most a cluster file may hold. The example is 1.5 KiB; a thousand pools fit. The limit keeps
 * a stray log file or `/dev/zero` behind a link from being read whole.
 */
export const MAX_CLUSTER_FILE_BYTES = 1024 * 1024;

/**
 * A cluster file's text, or why it cannot be had: a dangling link (an editor's `.#name.yaml`),
 * a folder, a device, a file too large or not UTF-8, or any error of the file system. Reads at
 * most one byte over the limit, so an endless file ends the read.
 */
export function readClusterFile(file: string): { text: string } | { problem: string } {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; the type check below refuses it.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { problem: messages.unreadableFile(describeFsError(error)) };
  }
  try {
    if (!fstatSync(fd).isFile()) return { problem: messages.notARegularFile(kindOf(fd)) };
    const buffer = Buffer.alloc(MAX_CLUSTER_FILE_BYTES + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > MAX_CLUSTER_FILE_BYTES) return { problem: messages.fileTooLarge(MAX_CLUSTER_FILE_BYTES) };
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buffer.subarray(0, length));
    return { text };
  } catch (error) {
    if (error instanceof TypeError) return { problem: messages.notUtf8() };
    return { problem: messages.unreadableFile(describeFsError(error)) };
  } finally {
    closeSync(fd);
  }
}

function kindOf(fd: number): string {
  const stat = fstatSync(fd);
  if (stat.isDirectory()) return 'a folder';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isFIFO()) return 'a pipe';
  if (stat.isSocket()) return 'a socket';
  return 'a special file';
}

const FS_ERRORS: Record<string, string> = {
  ENOENT: 'it does not exist, or is a symbolic link to nothing (an editor lock file such as .#name.yaml?)',
  ELOOP: 'it is a symbolic link that leads back to itself',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of its path is not a folder',
  EIO: 'the system could not read it (I/O error)',
  EMFILE: 'too many open files',
  EEXIST: 'it exists and is not a folder',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
};

/** `<out dir>: cannot be written: [<the path in the way>: ]<why>`, for a command's output folder. */
export function outputFsProblem(outDir: string, error: unknown): string {
  const path = (error as NodeJS.ErrnoException | undefined)?.path;
  const where = path === undefined || path === outDir ? '' : `${printable(path)}: `;
  return `${printable(outDir)}: cannot be written: ${where}${describeFsError(error)}`;
}

/** A file system error in words, without the library's stack or call details. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && FS_ERRORS[code] !== undefined) return FS_ERRORS[code];
  return code ?? String((error as Error | undefined)?.message ?? error);
}
