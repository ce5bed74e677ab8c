import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes a file aside and renames it into place: a reader, or a run that is interrupted or fails
 * part-way, never leaves or sees half a file. The aside file is removed when the write fails.
 */
export function writeFileAtomically(file: string, contents: string | Uint8Array): void {
  const aside = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(aside, contents);
    renameSync(aside, file);
  } catch (error) {
    rmSync(aside, { force: true });
    throw error;
  }
}

/**
 * Writes a set of files into `dir` all or none: each is written aside first; only when every one
 * is on disk, and no target is a folder, are they renamed into place. A failure removes the asides.
 */
export function writeFilesAtomically(dir: string, files: readonly { readonly name: string; readonly text: string }[]): string[] {
  mkdirSync(dir, { recursive: true });
  const targets = files.map(({ name }) => join(dir, name));
  const asides = targets.map((file) => `${file}.${process.pid}.tmp`);
  try {
    files.forEach(({ text }, i) => writeFileSync(asides[i], text));
    for (const target of targets) {
      if (existsSync(target) && statSync(target).isDirectory()) throw Object.assign(new Error(`${target} is a folder`), { code: 'EISDIR', path: target });
    }
  } catch (error) {
    for (const aside of asides) rmSync(aside, { force: true });
    throw error;
  }
  asides.forEach((aside, i) => renameSync(aside, targets[i]));
  return targets;
}
