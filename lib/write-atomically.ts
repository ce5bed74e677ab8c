import { renameSync, rmSync, writeFileSync } from 'node:fs';

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
