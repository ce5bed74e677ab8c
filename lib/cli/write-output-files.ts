import { outputFsProblem, printable } from '../model';
import { writeFilesAtomically } from '../write-atomically';
import { CommandError } from './command-exit';

/**
 * Writes a command's files into `outDir`, all or none, and prints each path written, one a line.
 * A folder that cannot take them all ends the command (exit 1) with one line naming it and why.
 */
export function writeOutputFiles(outDir: string, files: readonly { readonly name: string; readonly text: string }[]): void {
  let written;
  try {
    written = writeFilesAtomically(outDir, files);
  } catch (error) {
    throw new CommandError(outputFsProblem(outDir, error));
  }
  for (const file of written) process.stdout.write(`${printable(file)}\n`);
}
